#!/bin/sh
# Markov attribution on chains built to be costly (docs/bad-input.md, entry 49):
# random journeys over 2,000 and 16,000 touchpoints at order 1, and one
# 100,000-touch path at order 4. Prints the wall time of each run of the tool
# and how it ended (answer, or the TP_ELIMIT refusal).
#
#   sh bench/markov_cost.sh [BUILD_DIR]      (default: build)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
tp="$build/tools/touchpoint"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$tmp" <<'PY'
import random, sys
d = sys.argv[1]
def journeys(ntp, nev, path):
    random.seed(1)
    out = ["customer_id,timestamp,touchpoint,type"]
    i = c = 0
    while i < nev:
        c += 1
        n = random.randint(2, 8)
        t = 1767225600 + c * 10
        for j in range(n):
            out.append("c%d,%d,t%d,interaction" % (c, t + j * 60, random.randrange(ntp)))
            i += 1
        if random.random() < 0.3:
            out.append("c%d,%d,t%d,conversion" % (c, t + n * 60, random.randrange(ntp)))
            i += 1
    open(path, "w").write("\n".join(out) + "\n")
journeys(2000, 9000, d + "/tp2000.csv")
journeys(16000, 73000, d + "/tp16000.csv")
random.seed(3)
out = ["customer_id,timestamp,touchpoint,type"]
out += ["c1,%d,t%d,interaction" % (1767225600 + j, random.randrange(30)) for j in range(100000)]
out.append("c1,%d,t1,conversion" % (1767225600 + 100001))
open(d + "/long.csv", "w").write("\n".join(out) + "\n")
PY
run() { # label, args...
    label=$1
    shift
    start=$(date +%s.%N)
    if LD_LIBRARY_PATH="$build/lib" "$tp" attribute --model markov -q "$@" > "$tmp/out" 2> "$tmp/err"; then
        how="answered"
    else
        how="refused: $(cut -c1-90 "$tmp/err")"
    fi
    end=$(date +%s.%N)
    printf '%-34s %7.2f s  %s\n' "$label" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$how"
}
run "2,000 touchpoints, order 1" --events "$tmp/tp2000.csv"
run "16,000 touchpoints, order 1" --events "$tmp/tp16000.csv"
run "100,000-touch path, order 4" --events "$tmp/long.csv" --order 4
