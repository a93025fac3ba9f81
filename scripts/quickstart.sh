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
echo "== touchpoint scorecard --by stage =="
build/tools/touchpoint scorecard --by stage
echo
echo "== touchpoint report: the CX report of the sample data =="
build/tools/touchpoint report -o build/touchpoint-report.html
echo
echo "Open the report in a browser. The tool is build/tools/touchpoint; try: build/tools/touchpoint --help"
