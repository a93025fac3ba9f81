#!/bin/sh
# Every public header compiles alone as C99 -pedantic and as C++.
set -eu
inc=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
n=0
for h in "$inc"/touchpoint.h "$inc"/touchpoint/*.h; do
  rel=${h#"$inc"/}
  printf '#include "%s"\nint tp_header_check_dummy;\n' "$rel" > "$tmp/t.c"
  cp "$tmp/t.c" "$tmp/t.cpp"
  cc -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$inc" "$tmp/t.c" || { echo "C99: $rel"; status=1; }
  if command -v c++ >/dev/null 2>&1; then
    c++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$inc" "$tmp/t.cpp" || { echo "C++: $rel"; status=1; }
  fi
  n=$((n + 1))
done
[ $status -eq 0 ] && echo "$n headers compile alone as C99 and C++"
exit $status
