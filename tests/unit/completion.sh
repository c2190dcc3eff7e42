# shellcheck shell=sh
# Sourced by the shell tests that check agent/completion/safectl.bash.
# complete_line WORD...: what the completion offers (COMPREPLY, one per line) for the
# command line WORD..., the last word being the one completed. Runs in a clean bash.
complete_line() {
	bash --norc --noprofile -c '
		source "$0" || exit 1
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		_safectl; printf "%s\n" "${COMPREPLY[@]}"' agent/completion/safectl.bash "$@" 2>&1
}
