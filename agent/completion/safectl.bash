# bash completion for safectl(8). Asks safectl itself: the subcommands from
# `safectl help`, channel numbers from `safectl -j channels` (the module's
# live view), so it never goes stale.

# the safectl being completed (./build/safectl too), else the one on PATH
_safectl_prog()
{
	local p=${COMP_WORDS[0]}
	[[ $p == */* && -x $p ]] && printf '%s' "$p" || printf 'safectl'
}

_safectl_commands()
{
	"$(_safectl_prog)" help 2>/dev/null |
		awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'
}

_safectl_channels()
{
	local json
	json=$("$(_safectl_prog)" -j channels 2>/dev/null) || return 0
	json=${json//[[:space:]]/}
	grep -o '"channel":[0-9]*' <<< "$json" | cut -d: -f2
}

_safectl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local common='-j --json -p --pretty -h --help' cmd='' i words

	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} != -* ]]; then
			cmd=${COMP_WORDS[i]}
			break
		fi
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			words="$common --version"
		else
			words=$(_safectl_commands)
		fi
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi

	case $prev in
	--law)
		COMPREPLY=($(compgen -W 'ulaw alaw s16' -- "$cur"))
		return ;;
	--mode)
		COMPREPLY=($(compgen -W 'suppress strict detect pass' -- "$cur"))
		return ;;
	--hook)
		COMPREPLY=($(compgen -W 'on off' -- "$cur"))
		return ;;
	esac

	case $cmd in
	channels)
		# one channel at most
		[[ $prev == channels ]] || [[ $cur == -* ]] || return
		[[ $cur == -* ]] && words=$common || words="all $(_safectl_channels)" ;;
	policy)
		# policy [show] | policy set CHAN|FIRST-LAST|default POLICY
		case $prev in
		policy) words="show set $common" ;;
		set) words="default $(_safectl_channels)" ;;
		*) [[ ${COMP_WORDS[COMP_CWORD-2]} == set ]] &&
			words='pass detect suppress strict verify' ;;
		esac ;;
	filter)
		words='--law --mode --hook -h --help' ;;
	analyze)
		if [[ $cur != -* ]]; then
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
			return
		fi
		words="--law --hook $common" ;;
	wipe)
		words="-a --all $common" ;;
	help)
		[[ $prev == help ]] && words=$(_safectl_commands) ;;
	*)
		words=$common ;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}

complete -F _safectl safectl
