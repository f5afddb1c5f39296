# Read by every run (BASH_ENV). bash shows `read -p PROMPT`'s prompt only when stdin is a terminal; a run's stdin is a
# pipe, so a script's question would never show. This read shows the prompt, on stderr as bash does, then reads.
read() {
  local __coderunner_prompt="" __coderunner_shown=0
  local -a __coderunner_args=()
  while (($#)); do
    case "$1" in
      --) __coderunner_args+=("$@"); break ;;
      -p) __coderunner_prompt="$2"; __coderunner_shown=1; shift 2 ;;
      -*p) __coderunner_args+=("${1%p}"); __coderunner_prompt="$2"; __coderunner_shown=1; shift 2 ;;
      *) __coderunner_args+=("$1"); shift ;;
    esac
  done
  ((__coderunner_shown)) && printf '%s' "$__coderunner_prompt" >&2
  builtin read "${__coderunner_args[@]}"
}
