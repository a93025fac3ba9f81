#!/bin/sh
# The built library's ABI equals the committed baseline (abi/libtouchpoint.abi).
# Any difference fails: an incompatible one (abidiff bit 8) needs a soversion
# bump; a compatible one (bit 4: an added function, a grown struct) needs review
# and a new baseline (scripts/abi-baseline.sh, with a CHANGELOG entry). See
# README, "ABI".
set -u
lib=$1
baseline=$2
headers=$3
if [ ! -f "$baseline" ]; then
  echo "no ABI baseline at $baseline: run scripts/abi-baseline.sh"
  exit 1
fi
abidiff --headers-dir2 "$headers" "$baseline" "$lib"
rc=$?
if [ $rc -eq 0 ]; then
  echo "ABI matches the baseline ($(grep -c '<elf-symbol ' "$baseline") symbols)"
  exit 0
fi
[ $((rc & 1)) -ne 0 ] && echo "abidiff failed (exit $rc)"
[ $((rc & 8)) -ne 0 ] && echo "INCOMPATIBLE ABI change: keep the old signature/layout (add a _v2), or bump the soversion"
[ $((rc & 4)) -ne 0 ] && echo "ABI changed: review the report above, then run scripts/abi-baseline.sh and say so in CHANGELOG.md"
exit 1
