#!/bin/sh
# The library's layers include downwards only: core < model < io < analysis <
# agg < report (a file may include its own layer and those below it, and the
# public headers). The report is built on the public API: besides the public
# headers it includes only core's plumbing (text buffer, files, allocation). The tool and the bindings use the public API only: no
# include of a lib/ folder. See HACKING.md, "Layers".
set -u
root=$1
rank() {
  case $1 in
    core) echo 0 ;; model) echo 1 ;; io) echo 2 ;; analysis) echo 3 ;; agg) echo 4 ;;
    report) echo 5 ;; *) echo -1 ;;
  esac
}
bad=0
checked=0
for f in $(find "$root/lib" -name '*.[ch]' | sort); do
  layer=$(basename "$(dirname "$f")")
  own=$(rank "$layer")
  [ "$own" -lt 0 ] && continue
  checked=$((checked + 1))
  for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z_]*\)\/.*/\1/p' "$f" | sort -u); do
    [ "$inc" = touchpoint ] && continue
    r=$(rank "$inc")
    if [ "$r" -lt 0 ]; then
      echo "$f includes \"$inc/...\", which is not a layer"; bad=1
    elif [ "$r" -gt "$own" ]; then
      echo "$f ($layer) includes the higher layer \"$inc/\""; bad=1
    elif [ "$layer" = report ] && [ "$inc" != core ] && [ "$inc" != report ]; then
      echo "$f (report) includes \"$inc/\": the report uses the public API only"; bad=1
    fi
  done
done
for f in $(find "$root/tools" "$root/bindings" -name '*.[chi]' | sort); do
  checked=$((checked + 1))
  if grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"\(core\|model\|io\|analysis\|agg\|report\)/' "$f"; then
    echo "$f reaches into the library's internals: use the public API (touchpoint.h)"; bad=1
  fi
done
[ "$checked" -gt 50 ] || { echo "only $checked files found under $root: wrong root?"; exit 1; }
[ $bad -eq 0 ] && echo "layers hold in $checked files"
exit $bad
