#!/bin/sh
# Install what is missing, build, and run the main job on the bundled sample data.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
[ -d build ] || meson setup build --buildtype=release -Dpython_binding=enabled -Druby_binding=enabled
meson compile -C build
echo
echo "== touchpoint validate (bundled sample data) =="
build/tools/touchpoint validate
echo
echo "== touchpoint hotspots: pain points and bright spots, ranked by impact =="
build/tools/touchpoint hotspots
echo
echo "== touchpoint scorecard --by stage =="
build/tools/touchpoint scorecard --by stage
echo
echo "The tool is build/tools/touchpoint; try: build/tools/touchpoint --help"
