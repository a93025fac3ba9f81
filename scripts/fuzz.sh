#!/bin/sh
# Fuzz campaign: build the libFuzzer targets with clang (ASan + UBSan) in
# build-fuzz/ and run each target for SECONDS (default 1800). New inputs that
# add coverage are merged back into fuzz/corpus/<target>/ (commit them); a crash
# is written to fuzz/crashes/<target>/ (commit it with the fix: the replay tests
# then run it in every build). Two targets run at a time on a 2-core machine.
#
#   sh scripts/fuzz.sh [-t SECONDS] [-j JOBS] [TARGET ...]
#
# Each run's libFuzzer statistics go to build-fuzz/logs/<target>.log; the last
# lines printed are one summary row per target (runs executed, coverage, crashes).
set -eu
cd "$(dirname "$0")/.."
seconds=1800
jobs=2
while getopts t:j: opt; do
  case $opt in
    t) seconds=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) echo "usage: $0 [-t SECONDS] [-j JOBS] [TARGET ...]" >&2; exit 64 ;;
  esac
done
shift $((OPTIND - 1))
all="events_csv events_jsonl feedback_csv paths_csv catalog_json text agg"
targets=${*:-$all}

if [ ! -d build-fuzz ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=true -Dwerror=true \
    -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link \
    -Dpython_binding=disabled -Druby_binding=disabled -Dbrowser_test=disabled \
    --buildtype=debugoptimized >/dev/null
fi
meson compile -C build-fuzz >/dev/null
mkdir -p build-fuzz/logs

run_one() {
  t=$1
  work=build-fuzz/corpus/$t
  mkdir -p "$work" "fuzz/crashes/$t"
  status=0
  # Fork mode goes on after a crash (each one is saved), so every target gets
  # its whole time; the replay tests then fail until each crash is fixed.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-fuzz/fuzz/fuzz_$t" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -artifact_prefix="fuzz/crashes/$t/" "$work" "fuzz/corpus/$t" \
      >"build-fuzz/logs/$t.log" 2>&1 || status=$?
  # Commit a minimal corpus: the inputs that keep all the coverage found.
  rm -rf "$work.min" && mkdir -p "$work.min"
  "build-fuzz/fuzz/fuzz_$t" -merge=1 -max_len=8192 "$work.min" "fuzz/corpus/$t" "$work" \
    >>"build-fuzz/logs/$t.log" 2>&1 &&
    rm -rf "fuzz/corpus/$t" && cp -r "$work.min" "fuzz/corpus/$t"
  runs=$(sed -n 's/^#\([0-9]*\): cov.*/\1/p' "build-fuzz/logs/$t.log" | tail -1)
  cov=$(sed -n 's/^#[0-9]*: cov: \([0-9]*\).*/\1/p' "build-fuzz/logs/$t.log" | tail -1)
  crashes=$(find "fuzz/crashes/$t" -type f ! -name '.*' | wc -l)
  printf '%-14s %6ss  runs %-10s cov %-6s crash files %s  exit %s\n' \
    "$t" "$seconds" "${runs:-?}" "${cov:-?}" "$crashes" "$status" | tee -a build-fuzz/logs/summary.txt
}

pids=""
n=0
for t in $targets; do
  [ -x "build-fuzz/fuzz/fuzz_$t" ] || { echo "unknown target: $t" >&2; exit 64; }
  run_one "$t" &
  pids="$pids $!"
  n=$((n + 1))
  if [ $n -ge "$jobs" ]; then wait; n=0; fi
done
wait
