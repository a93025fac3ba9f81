#!/bin/sh
# Build with warnings as errors and run every test; then run the C tests again
# under AddressSanitizer + UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh

if [ -d build-ci ]; then meson configure build-ci -Dwerror=true >/dev/null
else meson setup build-ci -Dwerror=true --buildtype=debugoptimized; fi
meson compile -C build-ci
meson test -C build-ci -v --print-errorlogs

if [ -d build-asan ]; then :
else meson setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug; fi
meson compile -C build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan -v --print-errorlogs --suite c --suite cli
echo "all test suites passed (normal build and ASan+UBSan build)"
