#!/bin/sh
# The library exports exactly the names listed in the version script: no more
# (internal helpers), no fewer (a public function missing from the script).
set -eu
lib=$1
sym=$2
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRW]$/ {print $3}' | sed 's/@.*//' | sort -u)
listed=$(sed -n 's/^ *\(tp_[a-z0-9_]*\);.*/\1/p' "$sym" | sort -u)
status=0
extra=$(printf '%s\n' "$exported" | grep -v '^$' | grep -vxF "$listed" || true)
missing=$(printf '%s\n' "$listed" | grep -vxF "$exported" || true)
if [ -n "$extra" ]; then echo "exported but not in $sym:"; echo "$extra"; status=1; fi
if [ -n "$missing" ]; then echo "in $sym but not exported:"; echo "$missing"; status=1; fi
bad=$(printf '%s\n' "$exported" | grep -v '^tp_' || true)
if [ -n "$bad" ]; then echo "exports without the tp_ prefix:"; echo "$bad"; status=1; fi
count=$(printf '%s\n' "$exported" | grep -c . || true)
if [ $status -eq 0 ]; then echo "$count exported symbols match the version script"; fi
exit $status
