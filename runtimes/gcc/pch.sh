#!/bin/sh
# Precompiles the standard headers a C++ program most often includes first, with the flags of runtime.json's C++
# compile, into DIR, then checks that the engine's whole compile command (with its speedFlags) uses each of them.
# It fails, and so does the image build, if one is not used: a PCH is used only when it was made with the same
# -std, -O and macro-defining flags (g++ 12 even crashes on an -O1 PCH used at -O2), so a change to runtime.json must
# never lose it silently. Usage: pch.sh RUNTIME_JSON DIR
set -eu
manifest="$1" dir="$2"

# The arguments of one array of the cpp language in the manifest, space-separated (none holds a space).
array() {
  jq -r --arg key "$1" '.languages[] | select(.id == "cpp") | .[$key] // [] | join(" ")' "$manifest"
}
compile=$(array compile)
speed=$(array speedFlags)
[ -n "$compile" ] && [ -n "$speed" ] || { echo "pch.sh: no cpp compile or speedFlags in $manifest" >&2; exit 1; }

# The compile's flags without the compiler, its output and its sources: what a header is precompiled with.
flags=$(echo "$compile" | sed -E 's/^[^ ]+ //; s/-o [^ ]+//; s/\{sources\}//' | tr -s ' ')
compiler=${compile%% *}

# Each header is precompiled from the real header, so that the first #include of it finds NAME.gch in DIR and
# means just what it means elsewhere: nothing becomes included that the program did not include. A header that
# uses #include_next (<cmath>, <cstdlib>) cannot be: as the file being compiled, its #include_next would find
# another header (libstdc++'s <math.h>, which adds std's overloads to the global namespace).
headers="iostream bits/stdc++.h string vector"
log=$(mktemp)
for header in $headers; do
  source=$(printf '#include <%s>\n' "$header" | $compiler $flags -x c++ -E -H -o /dev/null - 2>&1 | sed -n '1s/^\. //p')
  [ -f "$source" ] || { echo "pch.sh: cannot find <$header>" >&2; exit 1; }
  mkdir -p "$dir/$(dirname "$header")"
  # The header's own "#pragma GCC system_header" is ignored when it is the file being compiled, and says so: that
  # warning alone is expected.
  $compiler $flags -x c++-header "$source" -o "$dir/$header.gch" 2> "$log" || { cat "$log" >&2; exit 1; }
  if grep -v -e 'pragma system_header ignored' -e '#pragma GCC system_header' -e '^ *|' "$log" | grep -q .; then
    echo "pch.sh: precompiling <$header> says more than expected:" >&2; cat "$log" >&2; exit 1
  fi
done
rm -f "$log"

# The check: the engine's command (compiler, speedFlags, then the rest) on a program whose first #include is the
# header must open the PCH ("! DIR/NAME.gch" in -H's list), link, and run.
probe=$(mktemp -d)
for header in $headers; do
  printf '#include <%s>\nint main() { return 0; }\n' "$header" > "$probe/main.cpp"
  command=$(echo "$compile" | sed -E "s|\{build\}|$probe|; s|\{sources\}|$probe/main.cpp|; s|^([^ ]+)|\1 $speed -Winvalid-pch -H|")
  $command 2> "$probe/log" || { cat "$probe/log" >&2; exit 1; }
  if ! grep -qx "! $dir/$header.gch" "$probe/log"; then
    echo "pch.sh: $command does not use $dir/$header.gch:" >&2
    grep -v '^\.' "$probe/log" >&2
    exit 1
  fi
  "$probe/main"
done
rm -rf "$probe"
echo "pch.sh: $headers precompiled with $flags in $dir: $(du -sh "$dir" | cut -f1)"
