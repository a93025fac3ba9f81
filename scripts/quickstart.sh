#!/bin/sh
# Install what is missing, build, and run the main job on the bundled sample data.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
[ -d build ] || meson setup build --buildtype=release
meson compile -C build
echo
echo "== touchpoint validate (bundled sample data) =="
build/tools/touchpoint validate
echo
echo "== touchpoint catalog (first lines) =="
build/tools/touchpoint catalog | head -n 12
echo
echo "The tool is build/tools/touchpoint; try: build/tools/touchpoint --help"
