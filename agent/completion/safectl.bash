# bash completion for safectl(8). Asks safectl itself, so it never goes
# stale: the commands from `safectl help`, each command's options and their
# values from `safectl COMMAND --help` (its Usage lines), the policies from
# `safectl policy --help`, and channel numbers from `safectl -j channels`
# (the module's live view).

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

# the Usage lines of one command's --help (up to the first line that is not one)
_safectl_usage()
{
	"$(_safectl_prog)" "$1" --help 2>/dev/null |
		awk 'NR == 1 || /^ +(safectl|\[)/ { print; next } { exit }'
}

# every option a command's usage names, plus the global ones
_safectl_options()
{
	{
		_safectl_usage "$1" | grep -oE -- '(^|[[ |])--?[a-zA-Z][a-z-]*' | tr -d ' [|'
		printf '%s\n' -h --help
	} | sort -u
}

# the values a command's usage gives an option: "--law ulaw|alaw|s16" -> ulaw alaw s16
_safectl_option_values()
{
	_safectl_usage "$1" | grep -oE -- "$2 [a-z0-9|]+" | head -n1 | cut -d' ' -f2 | tr '|' ' '
}

# the policies `safectl policy --help` explains, one per indented line
_safectl_policies()
{
	"$(_safectl_prog)" policy --help 2>/dev/null | awk '/^  [a-z]+ / { print $1 }'
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
	local global='-j --json -p --pretty -h --help --version' cmd='' i words operands=()

	# the command, and the operands typed after it (options left out)
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ -z $cmd ]]; then
			[[ ${COMP_WORDS[i]} != -* ]] && cmd=${COMP_WORDS[i]}
		elif [[ ${COMP_WORDS[i]} != -* ]]; then
			case ${COMP_WORDS[i-1]} in
			--law | --mode | --hook) ;;	# an option's value
			*) operands+=("${COMP_WORDS[i]}") ;;
			esac
		fi
	done

	if [[ -z $cmd ]]; then
		[[ $cur == -* ]] && words=$global || words=$(_safectl_commands)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi

	# an option's value, as the command's usage lists them
	if [[ $prev == --* && $cur != -* ]]; then
		words=$(_safectl_option_values "$cmd" "$prev")
		if [[ -n $words ]]; then
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
			return
		fi
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_safectl_options "$cmd")" -- "$cur"))
		return
	fi

	case $cmd in
	channels)
		((${#operands[@]} == 0)) && words="all $(_safectl_channels)" ;;
	reset-counters)
		((${#operands[@]} == 0)) && words="all $(_safectl_channels)" ;;
	policy)
		# policy [show] | policy set CHAN|FIRST-LAST|default POLICY
		case ${#operands[@]} in
		0) words='show set' ;;
		1) [[ ${operands[0]} == set ]] && words="default $(_safectl_channels)" ;;
		2) [[ ${operands[0]} == set ]] && words=$(_safectl_policies) ;;
		esac ;;
	analyze)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	help)
		((${#operands[@]} == 0)) && words=$(_safectl_commands) ;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}

complete -F _safectl safectl
