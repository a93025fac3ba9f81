#!/bin/sh
# The command-line tool: sample data, real files, formats, exit codes, errors.
set -u
tp=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { # name, condition
  if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi
}

"$tp" validate > "$tmp/out" 2>&1; rc=$?
check "validate on the sample exits 0" "[ $rc -eq 0 ]"
check "validate names the sample events" "grep -q 'sample/events.csv' $tmp/out"
check "validate counts 5000 customers" "grep -q 'from 5000 customers' $tmp/out"

"$tp" validate --format json > "$tmp/out.json"; rc=$?
check "json validate exits 0" "[ $rc -eq 0 ]"
check "json validate is JSON" "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[\"customers\"]==5000' $tmp/out.json"

"$tp" validate --events "$data/bad_timestamp.csv" --format csv > "$tmp/bad" 2>&1; rc=$?
check "rejected rows exit 2" "[ $rc -eq 2 ]"
check "rejects listed with line" "grep -q ',3,.*,2,timestamp,validation error' $tmp/bad"

"$tp" validate --strict --events "$data/bad_timestamp.csv" > "$tmp/strict" 2>&1; rc=$?
check "strict error exits 1" "[ $rc -eq 1 ]"
check "strict error names file:line:column" "grep -q 'bad_timestamp.csv:3:2: timestamp:' $tmp/strict"

"$tp" validate --reject-unknown --events "$data/unknown_touchpoint.csv" --format csv > "$tmp/unk" 2>&1; rc=$?
check "unknown touchpoint rejected" "[ $rc -eq 2 ] && grep -q hologram $tmp/unk"

"$tp" validate --events "$data/events.jsonl" > "$tmp/jl" 2>&1; rc=$?
check "jsonl read by extension" "[ $rc -eq 2 ] && grep -q 'events.jsonl' $tmp/jl"

"$tp" catalog --format json -o "$tmp/cat.json"; rc=$?
check "catalog json export" "[ $rc -eq 0 ] && grep -q online-purchase $tmp/cat.json"
"$tp" catalog --catalog "$tmp/cat.json" --format csv > "$tmp/cat.csv"; rc=$?
check "exported catalog reads back" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/cat.csv) -eq 29 ]"
"$tp" catalog --catalog "$data/cycle.json" > "$tmp/cyc" 2>&1; rc=$?
check "bad catalog exits 1 with path" "[ $rc -eq 1 ] && grep -q 'touchpoints\[2\].parent' $tmp/cyc"
"$tp" frobnicate > /dev/null 2>&1; rc=$?
check "unknown command is a usage error" "[ $rc -eq 64 ]"
"$tp" validate --format xml > /dev/null 2>&1; rc=$?
check "unknown format is a usage error" "[ $rc -eq 64 ]"
"$tp" version | grep -q '^touchpoint 0\.1\.0'; rc=$?
check "version" "[ $rc -eq 0 ]"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
