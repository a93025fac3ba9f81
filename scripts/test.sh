#!/bin/sh
# Build with warnings as errors and run every test (C, CLI, fuzz corpora, ABI,
# Python, Ruby, the notebook, a staged install); the C tests and fuzz corpora
# again under valgrind; then the C, CLI, fuzz, Python and Ruby tests under
# AddressSanitizer + UndefinedBehaviorSanitizer; then the threaded tests under
# ThreadSanitizer.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh

# The bindings are required here, so a missing piece fails loudly.
bindings="-Dpython_binding=enabled -Druby_binding=enabled -Dbrowser_test=enabled"
# shellcheck disable=SC2086
if [ -d build-ci ]; then meson setup --reconfigure build-ci -Dwerror=true $bindings >/dev/null
else meson setup build-ci -Dwerror=true $bindings --buildtype=debugoptimized; fi
meson compile -C build-ci
meson test -C build-ci -v --print-errorlogs
# The C tests and the fuzz corpora again under valgrind (memory errors, definite leaks).
meson test -C build-ci -v --print-errorlogs --setup valgrind --suite c --suite fuzz

# shellcheck disable=SC2086
if [ -d build-asan ]; then meson setup --reconfigure build-asan $bindings >/dev/null
else meson setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false $bindings --buildtype=debug; fi
meson compile -C build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan -v --print-errorlogs --suite c --suite cli --suite fuzz
# The Python and Ruby suites drive the sanitized library from the interpreters.
meson test -C build-asan -v --print-errorlogs --setup asan python ruby ruby-misuse

# The tests that read and solve on several threads, under ThreadSanitizer.
if [ ! -d build-tsan ]; then
  CC=clang meson setup build-tsan -Dwerror=true -Db_sanitize=thread -Db_lundef=false \
    --buildtype=debugoptimized >/dev/null
fi
meson compile -C build-tsan tests/test_threads tests/test_agg tests/test_core
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  meson test -C build-tsan --no-rebuild -v --print-errorlogs threads agg core
echo "all test suites passed (normal build, valgrind, ASan+UBSan, TSan)"
