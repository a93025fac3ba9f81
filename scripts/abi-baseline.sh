#!/bin/sh
# Record the ABI of the current library as the reviewed baseline. Run after a
# reviewed, deliberate ABI change (the "abi" test prints what changed) and add
# a CHANGELOG entry that names the change. Builds build-abi/ with the CI flags.
set -eu
cd "$(dirname "$0")/.."
if [ -d build-abi ]; then meson setup --reconfigure build-abi >/dev/null
else meson setup build-abi --buildtype=debugoptimized -Dtests=false -Dpython_binding=disabled -Druby_binding=disabled >/dev/null; fi
meson compile -C build-abi lib/touchpoint:shared_library >/dev/null
lib=$(ls build-abi/lib/libtouchpoint.so.*.*.* | head -1)
mkdir -p abi
abidw --no-corpus-path --headers-dir include --out-file abi/libtouchpoint.abi "$lib"
echo "abi/libtouchpoint.abi now records $(basename "$lib") ($(grep -c '<elf-symbol ' abi/libtouchpoint.abi) symbols); commit it with a CHANGELOG entry"
