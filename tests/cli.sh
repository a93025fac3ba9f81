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
mkdir -p "$tmp/outdir/taken"
"$tp" validate -o "$tmp/outdir/taken" > /dev/null 2> "$tmp/err"; rc=$?
check "validate -o onto a directory fails and names it" "[ $rc -ne 0 ] && grep -q 'cannot write .*taken' $tmp/err"
check "a failed -o write leaves no temporary file" "[ \"\$(ls $tmp/outdir)\" = taken ]"
"$tp" paths --dot -o "$tmp/outdir/g.dot" > /dev/null 2>&1; rc=$?
check "paths --dot -o writes the graph" "[ $rc -eq 0 ] && head -1 $tmp/outdir/g.dot | grep -q '^digraph'"
printf 'customer_id,timestamp,touchpoint,metric,score,comment\nc1,2026-01-01,store,nps,9,"mail c1@example.com"\n' > "$tmp/pii.csv"
"$tp" validate --feedback "$tmp/pii.csv" --redact email,phone > "$tmp/redact" 2>&1; rc=$?
check "--redact email,phone is accepted" "[ $rc -eq 0 ]"
"$tp" validate --feedback "$tmp/pii.csv" --redact names > "$tmp/redact" 2>&1; rc=$?
check "--redact with an unknown word exits 64 and says why" "[ $rc -eq 64 ] && grep -q \"'names' is not one of none, email, phone, all\" $tmp/redact"
"$tp" validate --feedback "$tmp/pii.csv" --redact none > "$tmp/redact" 2>&1; rc=$?
check "--redact none is accepted, as the bindings accept it" "[ $rc -eq 0 ]"

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
"$tp" fnnel > "$tmp/cmd" 2>&1; rc=$?
check "a misspelt command names the nearest" "[ $rc -eq 64 ] && grep -q \"did you mean 'funnel'\" $tmp/cmd"
"$tp" journeys --min-responses 5 > "$tmp/unread" 2>&1; rc=$?
check "an option the analysis does not read is a usage error" "[ $rc -eq 64 ] && grep -q 'journeys does not read --min-responses' $tmp/unread"
"$tp" funnel --steps website --moed strict > "$tmp/moed" 2>&1; rc=$?
check "an unknown flag names the nearest" "[ $rc -eq 64 ] && grep -q \"did you mean '--mode'\" $tmp/moed"
"$tp" hotspots --min-respones 5 > "$tmp/mr" 2>&1; rc=$?
check "the nearest flag is spelt as a flag" "[ $rc -eq 64 ] && grep -q \"did you mean '--min-responses'\" $tmp/mr"
"$tp" scorecard --breakdown region --format csv > "$tmp/bd" 2>&1; rc=$?
check "--breakdown puts the attribute first" "[ $rc -eq 0 ] && head -1 $tmp/bd | grep -q '^region,touchpoint,' && grep -q '^(none),' $tmp/bd && head -1 $tmp/bd | grep -q ',p_value$'"
"$tp" funnel --steps website,cart --breakdown segment --format csv > "$tmp/bdf" 2>&1 && "$tp" funnel --steps website,cart --segment segment=vip --format csv > "$tmp/bdv" 2>&1; rc=$?
check "a breakdown block is the analysis of that value" "[ $rc -eq 0 ] && [ \"\$(grep '^vip,' $tmp/bdf | cut -d, -f2-)\" = \"\$(tail -n +2 $tmp/bdv)\" ]"
"$tp" scorecard --breakdown regoin > "$tmp/bdt" 2>&1; rc=$?
check "a misspelt breakdown names the attribute" "[ $rc -eq 1 ] && grep -q \"did you mean 'region'\" $tmp/bdt"
"$tp" profile --id C03434 > "$tmp/prof" 2>&1; rc=$?
check "profile prints every table of one customer" "[ $rc -eq 0 ] && grep -q '^summary: ' $tmp/prof && grep -q '^touches: ' $tmp/prof && grep -q '^feedback: ' $tmp/prof && grep -q '^touchpoints: ' $tmp/prof"
"$tp" profile --id C03434 --table touches --format csv > "$tmp/prof2" 2>&1; rc=$?
check "profile --table touches is one CSV" "[ $rc -eq 0 ] && head -1 $tmp/prof2 | grep -q '^journey,step,timestamp,touchpoint' && [ \$(wc -l < $tmp/prof2) -eq 12 ]"
"$tp" profile --id C03434 --format csv > "$tmp/prof3" 2>&1; rc=$?
check "profile as CSV is its first table" "[ $rc -eq 0 ] && head -1 $tmp/prof3 | grep -q '^customer,start,end'"
"$tp" profile --id C0343 > "$tmp/prof4" 2>&1; rc=$?
check "an unknown customer names the nearest" "[ $rc -eq 1 ] && grep -q \"no customer 'C0343'\" $tmp/prof4"
"$tp" journeys --customer C03434 --format csv > "$tmp/cust" 2>&1; rc=$?
check "--customer keeps one customer" "[ $rc -eq 0 ] && [ \$(cut -d, -f1 $tmp/cust | sort -u | wc -l) -eq 2 ]"
"$tp" retention --table triangle --format csv > "$tmp/ret" 2>&1; rc=$?
check "retention: a triangle of cohorts, each 1 at p0" "[ $rc -eq 0 ] && head -1 $tmp/ret | grep -q '^cohort,start,customers,p0,p1' && [ \$(tail -n +2 $tmp/ret | cut -d, -f4 | sort -u) = 1 ]"
"$tp" retention --cohort first_convrsion > "$tmp/ret2" 2>&1; rc=$?
check "a misspelt cohort names the nearest" "[ $rc -eq 64 ] && grep -q \"did you mean 'first_conversion'\" $tmp/ret2"
"$tp" repeat --format csv > "$tmp/rep" 2>&1; rc=$?
check "repeat: (all) first, then touchpoints" "[ $rc -eq 0 ] && sed -n 2p $tmp/rep | grep -q '^(all),'"
"$tp" engagement --table by_period --period week --format csv > "$tmp/eng" 2>&1; rc=$?
check "engagement per week" "[ $rc -eq 0 ] && head -1 $tmp/eng | grep -q '^period,start,touchpoint,customers,touches'"
"$tp" phrases --format csv > "$tmp/phr" 2>&1; rc=$?
check "phrases: themes of comments" "[ $rc -eq 0 ] && grep -q '^online-checkout,[0-9]*,hidden shipping costs,3,' $tmp/phr"
"$tp" journeys --since 2026-03-01 > "$tmp/since" 2>&1; rc=$?
check "the library's since is --from in the tool" "[ $rc -eq 64 ] && grep -q \"did you mean '--from'\" $tmp/since"
"$tp" funnel --steps website,cart --mode strcit > "$tmp/mode" 2>&1; rc=$?
check "a misspelt choice names the nearest" "[ $rc -eq 64 ] && grep -q \"did you mean 'strict'\" $tmp/mode"
"$tp" next-touchpoints --after website --format csv > "$tmp/next1" && "$tp" paths --after website --format csv > "$tmp/next2"; rc=$?
check "every analysis is a command by its name" "[ $rc -eq 0 ] && cmp -s $tmp/next1 $tmp/next2"
"$tp" funnel --help > "$tmp/fhelp"; rc=$?
check "COMMAND --help comes from the registry" "[ $rc -eq 0 ] && grep -q -- '--steps TEXT' $tmp/fhelp && grep -q 'dropoffs:' $tmp/fhelp"
"$tp" funnel --steps website,cart --table nope > "$tmp/table" 2>&1; rc=$?
check "an unknown table is a usage error" "[ $rc -eq 64 ] && grep -q 'tables: steps dropoffs' $tmp/table"
"$tp" validate --format xml > /dev/null 2>&1; rc=$?
check "unknown format is a usage error" "[ $rc -eq 64 ]"
"$tp" version | grep -q '^touchpoint 0\.1\.0'; rc=$?
check "version" "[ $rc -eq 0 ]"

# Analyses on the sample data
"$tp" hotspots --format csv > "$tmp/hs.csv"; rc=$?
check "hotspots exits 0" "[ $rc -eq 0 ]"
check "hotspots ranks online-checkout first" "sed -n 2p $tmp/hs.csv | grep -q '^1,online-checkout,pain,'"
check "hotspots finds sales-staff bright" "grep -q ',sales-staff,bright,' $tmp/hs.csv"
"$tp" scorecard --format json > "$tmp/sc.json"; rc=$?
check "scorecard json has every touchpoint" "[ $rc -eq 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==28 and {\"nps_low\",\"csat_high\",\"cx_index\",\"rating_bayes\"} <= set(d[0])' $tmp/sc.json"
"$tp" scorecard --by stage --format csv > "$tmp/st.csv"; rc=$?
check "scorecard --by stage" "[ $rc -eq 0 ] && head -1 $tmp/st.csv | grep -q '^stage,touchpoints,' && [ \$(wc -l < $tmp/st.csv) -eq 4 ]"
"$tp" scorecard --segment segment=vip --stage after --format csv > "$tmp/vip.csv"; rc=$?
check "filters narrow the scorecard" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/vip.csv) -eq 11 ] && ! grep -q '^website,' $tmp/vip.csv"
"$tp" drivers --outcome conversion --min-responses 50 --format csv > "$tmp/dr.csv"; rc=$?
check "drivers has quadrants" "[ $rc -eq 0 ] && head -1 $tmp/dr.csv | grep -q 'importance' && grep -Eq 'fix first|maintain' $tmp/dr.csv"
"$tp" trend --period week --touchpoint online-checkout --from 2026-02-01 --to 2026-03-01 --format csv > "$tmp/tr.csv"; rc=$?
check "trend by week in a window" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/tr.csv) -eq 6 ] && sed -n 2p $tmp/tr.csv | grep -q ^2026-01-26,"
"$tp" sentiment "not bad at all" "Support was rude and slow" --format csv > "$tmp/se.csv"; rc=$?
check "sentiment of texts" "[ $rc -eq 0 ] && grep -q 'not bad at all,.*,positive,' $tmp/se.csv && grep -q 'rude and slow,.*,negative,' $tmp/se.csv"
printf 'great service\nawful\n' > "$tmp/texts.txt"
"$tp" sentiment --file "$tmp/texts.txt" --format csv > "$tmp/sf.csv"; rc=$?
check "sentiment of a file" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/sf.csv) -eq 3 ]"
printf 'rude\t3\n' > "$tmp/lex.tsv"
"$tp" sentiment --lexicon "$tmp/lex.tsv" "rude" --format csv > "$tmp/sl.csv"; rc=$?
check "a caller's lexicon extends the built-in one" "[ $rc -eq 0 ] && grep -q 'positive' $tmp/sl.csv"
printf 'rude\tvery\n' > "$tmp/badlex.tsv"
"$tp" sentiment --lexicon "$tmp/badlex.tsv" "x" > "$tmp/bl" 2>&1; rc=$?
check "bad lexicon names file, line and field" "[ $rc -eq 1 ] && grep -q 'badlex.tsv:1:2: value:' $tmp/bl"
"$tp" sentiment --format csv > "$tmp/terms.csv"; rc=$?
check "sentiment terms per touchpoint" "[ $rc -eq 0 ] && grep -q '^online-checkout,.*,negative,' $tmp/terms.csv"
"$tp" scorecard --level 2 > /dev/null 2>&1; rc=$?
check "out-of-range option is a usage error" "[ $rc -eq 64 ]"
"$tp" hotspots --segment novalue > "$tmp/seg" 2>&1; rc=$?
check "bad segment is a usage error" "[ $rc -eq 64 ] && grep -q 'attribute=value' $tmp/seg"
"$tp" scorecard --by team > "$tmp/by" 2>&1; rc=$?
check "unknown grouping is a usage error" "[ $rc -eq 64 ] && grep -q 'not one of stage, channel, owner, parent' $tmp/by"
"$tp" journeys --timeout 7d --format csv > "$tmp/jn.csv"; rc=$?
check "journeys on the sample" "[ $rc -eq 0 ] && head -1 $tmp/jn.csv | grep -q '^customer,journey,start,end,touches,converted,exited,value,duration' && [ \$(wc -l < $tmp/jn.csv) -gt 5000 ]"

"$tp" paths --top 3 --format csv > "$tmp/pv.csv"; rc=$?
check "paths lists the top variants" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/pv.csv) -eq 4 ] && head -1 $tmp/pv.csv | grep -q '^path,journeys,conversions,conversion_rate'"
# A long path is never cut: the table goes on over more lines, --wide keeps a
# row a line; every path of the CSV is in the wide table, whole.
"$tp" paths --top 5 --format csv | tail -n +2 | sed 's/^"//; s/",.*//; s/,.*//' > "$tmp/pw.paths"
"$tp" paths --top 5 > "$tmp/pt.txt"; rc=$?
"$tp" paths --top 5 --wide > "$tmp/pw.txt"; rc2=$?
check "paths in the table are never cut" "[ $rc -eq 0 ] && ! grep -q '…' $tmp/pt.txt && [ \$(wc -l < $tmp/pt.txt) -gt 6 ]"
check "paths --wide: a row a line, every path whole" "[ $rc2 -eq 0 ] && [ \$(wc -l < $tmp/pw.txt) -eq 6 ] && (while read -r p; do grep -qF \"\$p  \" $tmp/pw.txt || exit 1; done < $tmp/pw.paths)"
"$tp" paths --collapse loops --format csv > "$tmp/pl.csv"; rc=$?
check "paths collapse loops" "[ $rc -eq 0 ] && ! grep -q 'product-page > product-page' $tmp/pl.csv"
"$tp" paths --view flow --dot -o "$tmp/flow.dot"; rc=$?
check "flow as Graphviz" "[ $rc -eq 0 ] && head -1 $tmp/flow.dot | grep -q '^digraph journeys {' && grep -q '\"1. advertising\" -> ' $tmp/flow.dot"
"$tp" paths --after cart --format csv > "$tmp/nx.csv"; rc=$?
check "what follows cart" "[ $rc -eq 0 ] && sed -n 2p $tmp/nx.csv | grep -q '^online-checkout,'"
"$tp" paths --view times --format json > "$tmp/tt.json"; rc=$?
check "time to convert" "[ $rc -eq 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0][\"entry\"]==\"(all)\" and d[0][\"p90_ms\"]>=d[0][\"median_ms\"]' $tmp/tt.json"
"$tp" paths --view nope > /dev/null 2>&1; rc=$?
check "unknown paths view is a usage error" "[ $rc -eq 64 ]"
"$tp" funnel --steps 'website,product-page,cart,online-checkout<1d' --format csv > "$tmp/fn.csv"; rc=$?
check "funnel on the sample" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/fn.csv) -eq 5 ] && sed -n 2p $tmp/fn.csv | grep -q '^1,website,0,4100,1,1,0,'"
"$tp" funnel --steps website,cart --dropoffs --format csv > "$tmp/fd.csv"; rc=$?
check "funnel drop-offs" "[ $rc -eq 0 ] && head -1 $tmp/fd.csv | grep -q '^step,touchpoint,next,customers'"
"$tp" funnel --steps website,cart --window 1x > "$tmp/fw" 2>&1; rc=$?
check "bad funnel window is a usage error" "[ $rc -eq 64 ] && grep -q 'not a duration' $tmp/fw"
"$tp" funnel > /dev/null 2>&1; rc=$?
check "funnel without steps is a usage error" "[ $rc -eq 64 ]"
"$tp" targets --format csv > "$tmp/tg.csv"; rc=$?
check "targets on the sample: met, missed, unclear and no data" "[ $rc -eq 0 ] && grep -q '^sales-staff,Sales staff,during,Retail operations,nps,50,.*,met\$' $tmp/tg.csv && grep -q '^online-checkout,.*,ces,5.5,.*,missed\$' $tmp/tg.csv && grep -q ',unclear\$' $tmp/tg.csv && grep -q '^social-media,.*,0,,no data\$' $tmp/tg.csv"
"$tp" hotspots --owner 'Retail operations' --format csv > "$tmp/ho.csv"; rc=$?
check "--owner keeps a team's touchpoints, and rows name it" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/ho.csv) -gt 1 ] && [ \$(tail -n +2 $tmp/ho.csv | grep -vc ',Retail operations\$') -eq 0 ]"
"$tp" scorecard --owner Logistic > "$tmp/ow" 2>&1; rc=$?
check "a misspelt owner names the nearest" "[ $rc -eq 1 ] && grep -q \"did you mean 'Logistics'\" $tmp/ow"
"$tp" roadmap --format csv > "$tmp/rm.csv"; rc=$?
check "roadmap on the sample: the map's touchpoints, a projected date and a moving-away one" "[ $rc -eq 0 ] && head -1 $tmp/rm.csv | grep -q '^stage,touchpoint,name,owner,metric,target,value,low,high,n,status,periods,slope,reached_by,arrivals,conformance\$' && grep -q '^purchase,online-checkout,.*,nps,0,.*,20[0-9][0-9]-[0-9][0-9]-01,' $tmp/rm.csv && grep -q ',moving away,' $tmp/rm.csv"
"$tp" roadmap --map online-purchse > "$tmp/rmx" 2>&1; rc=$?
check "roadmap of a misspelt map names the nearest" "[ $rc -eq 1 ] && grep -q \"did you mean 'online-purchase'\" $tmp/rmx"
"$tp" hotspots --min-responses 100000 > "$tmp/hn.out" 2> "$tmp/hn.err"; rc=$?
check "an empty hot-spot table says why on stderr" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/hn.out) -eq 1 ] && grep -q '^touchpoint: no hot spots: no touchpoint has min_responses (100000) responses (the most: ' $tmp/hn.err"
"$tp" funnel --steps website,cart,online-checkout --mode any --format csv > "$tmp/fa.csv"; rc=$?
check "a funnel in any order counts the customers who did k of the steps" "[ $rc -eq 0 ] && sed -n 2p $tmp/fa.csv | grep -q '^1,(any 1 of 3),0,' && sed -n 4p $tmp/fa.csv | grep -q '^3,(any 3 of 3),0,'"
"$tp" journeys --timeout 30days > "$tmp/to" 2>&1; rc=$?
check "a bad option value names its flag once and says why" "[ $rc -eq 64 ] && [ \"\$(cat $tmp/to)\" = \"touchpoint: --timeout: '30days' is not a duration such as 30d, 12h, 90m or 45s\" ]"
"$tp" funnel --steps website,hologram > "$tmp/fu" 2>&1; rc=$?
check "funnel with an unknown step fails" "[ $rc -eq 1 ] && grep -q hologram $tmp/fu"
"$tp" funnel --steps 'website, online-checkout (conversion), (conversion)' --exclude '(exit)' --format csv > "$tmp/fc.csv"; rc=$?
check "purchase steps, at a touchpoint and anywhere" "[ $rc -eq 0 ] && sed -n 3p $tmp/fc.csv | grep -q '^2,online-checkout (conversion),0,' && sed -n 4p $tmp/fc.csv | grep -q '^3,(conversion),0,'"
"$tp" funnel --steps 'website, online-checkout (convrsion)' > "$tmp/ft" 2>&1; rc=$?
check "a misspelt event type names the step meant" "[ $rc -eq 1 ] && grep -q \"did you mean 'online-checkout (conversion)'\" $tmp/ft"
"$tp" conform --map online-purchase --format csv > "$tmp/cf.csv"; rc=$?
check "conformance summary" "[ $rc -eq 0 ] && sed -n 2p $tmp/cf.csv | grep -q '^overall,,' && grep -q '^unexpected_touchpoint,store,' $tmp/cf.csv"
"$tp" conform --map nope > /dev/null 2>&1; rc=$?
check "unknown journey map fails" "[ $rc -eq 1 ]"
"$tp" attribute --format csv > "$tmp/at.csv"; rc=$?
check "all models side by side" "[ $rc -eq 0 ] && head -1 $tmp/at.csv | grep -q '^touchpoint,first,last,linear,time_decay,position,markov,shapley,shapley_simplified$'"
check "every model credits all conversions" "python3 -c '
import csv,sys
rows=list(csv.DictReader(open(sys.argv[1])))
for m in (\"first\",\"last\",\"linear\",\"time_decay\",\"position\",\"markov\",\"shapley\",\"shapley_simplified\"):
    s=sum(float(r[m]) for r in rows)
    assert abs(s-sum(float(r[\"last\"]) for r in rows))<1e-6, (m,s)
' $tmp/at.csv"
printf 'path,conversions,value,nulls\nads > web,3,30,1\nweb,1,5,4\nads,0,0,2\n' > "$tmp/paths.csv"
"$tp" attribute --paths "$tmp/paths.csv" --model markov --long --format csv > "$tmp/am.csv"; rc=$?
check "markov over path aggregates" "[ $rc -eq 0 ] && grep -q '^markov,web,' $tmp/am.csv && grep -q 'removal_effect' $tmp/am.csv"
"$tp" attribute --paths "$tmp/paths.csv" --model time-decay > "$tmp/td" 2>&1; rc=$?
check "time-decay needs times" "[ $rc -eq 1 ] && grep -q 'touch times' $tmp/td"
printf 'path;conversions\na | b;2\n' > "$tmp/sep.csv"
"$tp" attribute --paths "$tmp/sep.csv" --separator '|' --chain --format csv > "$tmp/ch.csv" 2> "$tmp/ch.err"; rc=$?
check "a header in the wrong delimiter fails" "[ $rc -eq 1 ] && grep -q 'missing required column' $tmp/ch.err"
printf 'path,conversions\na | b,2\nb,0\n' > "$tmp/sep.csv"
"$tp" attribute --paths "$tmp/sep.csv" --separator '|' --chain --format csv > "$tmp/ch.csv" 2> "$tmp/ch.err"; rc=$?
check "markov chain and P(conversion)" "[ $rc -eq 0 ] && grep -q '^(start),a,2,1$' $tmp/ch.csv && grep -q 'P(conversion) = 1.000000' $tmp/ch.err"
"$tp" attribute --model w-shaped > "$tmp/ws" 2>&1; rc=$?
check "unknown model is a usage error" "[ $rc -eq 64 ] && grep -q shapley-simplified $tmp/ws"

# ---- report ----
(cd "$tmp" && "$tp" report > "$tmp/rep.out" 2> "$tmp/rep.err"); rc=$?
check "report on the sample exits 0" "[ $rc -eq 0 ] && [ ! -s $tmp/rep.err ]"
check "report writes touchpoint-report.html and prints its path" "[ -s $tmp/touchpoint-report.html ] && grep -q 'Report written to .*/touchpoint-report.html' $tmp/rep.out"
check "report prints the four findings" "grep -q 'Worst touchpoint: *online-checkout' $tmp/rep.out && grep -q 'Best touchpoint: *sales-staff' $tmp/rep.out && grep -q 'Biggest funnel drop:' $tmp/rep.out && grep -q 'Top channel: *store' $tmp/rep.out"
check "report is one self-contained page" "grep -q '^<!DOCTYPE html>' $tmp/touchpoint-report.html && ! grep -Eqi '<script|<link|src=\"http|@import|url\\(' $tmp/touchpoint-report.html"
check "report has the nine charts" "[ \$(grep -o '<svg ' $tmp/touchpoint-report.html | wc -l) -eq 9 ]"
"$tp" report --format json -q -o "$tmp/rep.json"; rc=$?
"$tp" hotspots --format json > "$tmp/hot.json"
"$tp" attribute --format json > "$tmp/att.json"
"$tp" funnel --steps "$(python3 -c 'import json,sys; print(",".join(r["touchpoint"] for r in json.load(open(sys.argv[1]))["funnel"]["steps"]))' $tmp/rep.json)" --format json > "$tmp/fun.json"
check "report json carries the analyses unchanged" "[ $rc -eq 0 ] && python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
assert d[\"hotspots\"]==json.load(open(sys.argv[2]))
assert d[\"attribution\"]==json.load(open(sys.argv[3]))
assert d[\"funnel\"][\"steps\"]==json.load(open(sys.argv[4]))
assert d[\"funnel\"][\"steps_from\"]==\"most common converting path\"
assert d[\"findings\"][\"worst_touchpoint\"].startswith(\"online-checkout\")
assert d[\"attribution_rollup\"][\"by\"]==\"channel\" and abs(sum(r[\"share\"] for r in d[\"attribution_rollup\"][\"rows\"])-1)<1e-9
assert [s[\"stage\"] for s in d[\"journey_map\"]]==[\"before\",\"during\",\"after\"]
assert d[\"inputs\"][\"customers\"]==5000 and len(d[\"trend_by_stage\"])==3
' $tmp/rep.json $tmp/hot.json $tmp/att.json $tmp/fun.json"
"$tp" report --steps website,product-page,cart --stage during --format json -q -o - > "$tmp/rep2.json"; rc=$?
check "report honours --steps and filters" "[ $rc -eq 0 ] && python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
assert [r[\"touchpoint\"] for r in d[\"funnel\"][\"steps\"]]==[\"website\",\"product-page\",\"cart\"]
assert d[\"funnel\"][\"steps_from\"]==\"steps\"
assert list(d[\"trend_by_stage\"])==[\"during\"]
assert \"biggest_funnel_drop\" in d[\"findings\"] and \"product-page -> cart\" in d[\"findings\"][\"biggest_funnel_drop\"]
' $tmp/rep2.json"
"$tp" report --credit-by owner --format text -q -o - > "$tmp/rep5"; rc=$?
check "report --credit-by rolls attribution up, --format text gives the findings" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/rep5) -eq 4 ] && grep -q '^Top owner: ' $tmp/rep5"
"$tp" report --format fragment -q -o - | head -c 23 > "$tmp/rep6"
check "report --format fragment is one scoped div" "grep -q '^<div class=\"tp-report\">' $tmp/rep6"
"$tp" report --credit-by ownr > "$tmp/rep7" 2>&1; rc=$?
check "report --credit-by typo is a usage error naming the nearest" "[ $rc -eq 64 ] && grep -q \"did you mean 'owner'\" $tmp/rep7"
"$tp" attribute --model first --by channel --format csv > "$tmp/attby.csv"; rc=$?
check "attribute --by channel sums the credit per channel" "[ $rc -eq 0 ] && head -1 $tmp/attby.csv | grep -q '^model,channel,conversions' && python3 -c '
import csv,sys
rows=list(csv.DictReader(open(sys.argv[1])))
assert abs(sum(float(r[\"share\"]) for r in rows)-1)<1e-9
' $tmp/attby.csv"
"$tp" report -o - --format html -q | head -c 15 > "$tmp/rep3"
check "report -o - writes the page to standard output" "grep -q '<!DOCTYPE html>' $tmp/rep3"
"$tp" report -q -o "$tmp/no/such/dir/r.html" 2> "$tmp/rep4"; rc=$?
check "report to an unwritable path fails and says where" "[ $rc -eq 1 ] && grep -q 'no/such/dir/r.html' $tmp/rep4"
"$tp" report --steps 'a,,b' > "$tmp/rep5" 2>&1; rc=$?
check "report with bad --steps is a usage error" "[ $rc -eq 64 ]"

# ---- progress of long reads ----
awk 'BEGIN{print "customer_id,timestamp,touchpoint"; for(i=0;i<140000;i++) printf "c%d,%d,website\n", i%997, 1767225600+i}' > "$tmp/big.csv"
"$tp" validate --progress --events "$tmp/big.csv" > /dev/null 2> "$tmp/prog"; rc=$?
check "--progress shows rows and percent, ending at 100%" "[ $rc -eq 0 ] && grep -q 'big.csv: 65,536 rows, [0-9]*%' $tmp/prog && tail -n 1 $tmp/prog | grep -q 'big.csv: 140,000 rows, 100%'"
"$tp" validate --events "$tmp/big.csv" > /dev/null 2> "$tmp/prog2"; rc=$?
check "no progress when standard error is not a terminal" "[ $rc -eq 0 ] && [ ! -s $tmp/prog2 ]"
"$tp" validate --progress --quiet --events "$tmp/big.csv" > /dev/null 2> "$tmp/prog3"; rc=$?
check "--progress wins over --quiet for progress only" "[ $rc -eq 0 ] && grep -q '100%' $tmp/prog3"

# ---- writes that cannot be completed, and paths that are not plain files ----
if [ -w /dev/full ]; then
  for c in "scorecard" "scorecard --format json" "validate" "catalog --format json" "version" "transitions --dot" "report -q -o -"; do
    "$tp" $c > /dev/full 2> "$tmp/full"; rc=$?
    check "$c to a full disk exits 1 and says why" "[ $rc -eq 1 ] && grep -q 'standard output: No space left on device' $tmp/full && [ \$(wc -l < $tmp/full) -eq 1 ]"
  done
fi
mkdir "$tmp/w"
(umask 077; "$tp" scorecard --format csv -o "$tmp/w/private.csv"); rc=$?
check "-o honours the umask (077: 0600)" "[ $rc -eq 0 ] && [ \$(stat -c %a $tmp/w/private.csv) = 600 ]"
(umask 022; "$tp" scorecard --format csv -o "$tmp/w/shared.csv")
check "-o honours the umask (022: 0644)" "[ \$(stat -c %a $tmp/w/shared.csv) = 644 ]"
chmod 640 "$tmp/w/shared.csv"
(umask 000; "$tp" scorecard --format json -o "$tmp/w/shared.csv")
check "-o over a file keeps its mode" "[ \$(stat -c %a $tmp/w/shared.csv) = 640 ] && head -c 1 $tmp/w/shared.csv | grep -q '\\['"
ln -s shared.csv "$tmp/w/link.csv"
"$tp" scorecard --format csv -o "$tmp/w/link.csv"; rc=$?
check "-o through a symlink writes its target and keeps the link" "[ $rc -eq 0 ] && [ -L $tmp/w/link.csv ] && head -c 10 $tmp/w/shared.csv | grep -q '^touchpoint'"
mkfifo "$tmp/w/pipe"
timeout 20 cat "$tmp/w/pipe" > "$tmp/w/from-pipe" & reader=$!
"$tp" scorecard --format csv -o "$tmp/w/pipe"; rc=$?
wait $reader
check "-o onto a FIFO writes into it" "[ $rc -eq 0 ] && [ -p $tmp/w/pipe ] && cmp -s $tmp/w/from-pipe $tmp/w/link.csv"
"$tp" scorecard --format csv -o /dev/null; rc=$?
check "-o /dev/null leaves the device a device" "[ $rc -eq 0 ] && [ -c /dev/null ]"
"$tp" report -q -o "$tmp/w" 2> "$tmp/w.err"; rc=$?
check "-o onto a directory fails and says so" "[ $rc -eq 1 ] && grep -q 'is a directory' $tmp/w.err"
rm -f "$tmp/w/pipe"
(ulimit -f 20; "$tp" report -q -o "$tmp/w/big.html") 2> "$tmp/fsz"; rc=$?
check "a file size limit fails the write, says why and leaves nothing" "[ $rc -eq 1 ] && grep -q 'File too large' $tmp/fsz && [ ! -e $tmp/w/big.html ] && [ -z \"\$(ls $tmp/w | grep tmp)\" ]"
# A signal at any moment of a long write leaves the old file or the new one, never a temporary.
"$tp" journeys --events "$tmp/big.csv" --format csv -o "$tmp/w/journeys.csv"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
  "$tp" journeys --events "$tmp/big.csv" --format csv -o "$tmp/w/journeys.csv" & pid=$!
  sleep "$(awk -v i=$i 'BEGIN{srand(i); printf "%.3f", rand() * 0.6}')"
  kill -TERM $pid 2>/dev/null
  wait $pid 2>/dev/null
done
check "SIGTERM during -o leaves no temporary file and a whole output" "[ -z \"\$(ls $tmp/w | grep tmp)\" ] && tail -c 1 $tmp/w/journeys.csv | od -c | grep -q '\\\\n'"

# ---- amounts no analysis could hold are bad rows at read time ----
printf 'customer_id,timestamp,touchpoint,type,value\nc1,2026-01-01,website,interaction,\nc1,2026-01-02,store,conversion,1e38\nc2,2026-01-01,website,interaction,\nc2,2026-01-02,store,conversion,25\n' > "$tmp/huge.csv"
"$tp" validate --events "$tmp/huge.csv" --format csv > "$tmp/huge.out" 2>&1; rc=$?
check "a conversion value of 1e38 is a bad row naming line and field" "[ $rc -eq 2 ] && grep -q ',3,.*,5,value,validation error,.*beyond the accepted range' $tmp/huge.out"
"$tp" attribute --events "$tmp/huge.csv" --model first --format csv > "$tmp/huge.att" 2>&1; rc=$?
check "attribution of the rest works, its value whole" "[ $rc -eq 0 ] && grep -q '^first,website,1,25,1' $tmp/huge.att"

# ---- identifiers that would act on a terminal or reverse a report's text ----
printf 'customer_id,timestamp,touchpoint\nc1,2026-01-01,web\302\23331m\nc2,2026-01-01,evil\342\200\256gnp\nc3,2026-01-01,website\n' > "$tmp/ctl.csv"
"$tp" validate --events "$tmp/ctl.csv" --format csv > "$tmp/ctl.out" 2>&1; rc=$?
check "C1 and bidi controls in ids are bad rows, never printed raw" "[ $rc -eq 2 ] && grep -q 'control character in identifier' $tmp/ctl.out && grep -q 'bidirectional control character' $tmp/ctl.out && ! grep -q \"\$(printf '\302\233')\" $tmp/ctl.out"

# ---- an input cut short while it is read (logrotate's copytruncate) ----
awk 'BEGIN{print "customer_id,timestamp,touchpoint"; for(i=0;i<300000;i++) printf "c%d,%d,website\n", i%997, 1767225600+i}' > "$tmp/rot.master"
signalled=0
for i in 1 2 3 4 5 6; do
  cp "$tmp/rot.master" "$tmp/rot.csv"
  "$tp" validate -q --events "$tmp/rot.csv" > /dev/null 2> "$tmp/rot.err" & pid=$!
  sleep "$(awk -v i=$i 'BEGIN{srand(i); printf "%.3f", rand() * 0.05}')"
  : > "$tmp/rot.csv"
  wait $pid; rc=$?
  [ $rc -ge 128 ] && signalled=$((signalled + 1))
done
check "a file truncated while it is read never kills the tool (no SIGBUS)" "[ $signalled -eq 0 ]"

# ---- inputs without an end: capped while they are read ----
# `yes` never ends: without a cap checked while reading this grew until memory ran out.
yes '{' | timeout 60 "$tp" validate --catalog /dev/stdin > /dev/null 2> "$tmp/endless.err"; rc=$?
check "an endless catalog stream stops at the 256 MiB limit" "[ $rc -eq 1 ] && grep -q 'catalog larger than the limit of 256 MiB' $tmp/endless.err"
timeout 60 "$tp" validate --events /dev/zero --max-input-bytes 1M > /dev/null 2> "$tmp/zero.err"; rc=$?
check "--events /dev/zero stops at --max-input-bytes" "[ $rc -eq 1 ] && grep -q '/dev/zero: input larger than the limit of 1 MiB (max_input_bytes)' $tmp/zero.err"
"$tp" validate --events "$tmp/rot.master" --max-input-bytes 2K > /dev/null 2> "$tmp/big.err"; rc=$?
check "a file over --max-input-bytes is refused" "[ $rc -eq 1 ] && grep -q 'input larger than the limit of 2 KiB' $tmp/big.err"
"$tp" validate --events "$tmp/rot.master" --max-input-bytes 1G -q > /dev/null; rc=$?
check "a file under --max-input-bytes is read" "[ $rc -eq 0 ]"
"$tp" validate --max-input-bytes 12Q > /dev/null 2> "$tmp/size.err"; rc=$?
check "a bad --max-input-bytes exits 64 and says why" "[ $rc -eq 64 ] && grep -q \"'12Q' is not a byte count\" $tmp/size.err"

# ---- analyses whose cost can explode: refused at once, naming the limit ----
awk 'BEGIN{srand(5); print "customer_id,timestamp,touchpoint"; for(c=0;c<700;c++) for(j=0;j<4;j++) printf "c%d,%d,t%d\n", c, 1767225600+c*100+j, int(rand()*400)}' > "$tmp/wide.csv"
"$tp" attribute --model markov --events "$tmp/wide.csv" --markov-max-work 1e6 > /dev/null 2> "$tmp/work.err"; rc=$?
check "Markov over the work limit exits 1 naming markov_max_work" "[ $rc -eq 1 ] && grep -q 'more than the limit of 1e+06 (option markov_max_work' $tmp/work.err"
"$tp" attribute --model markov --events "$tmp/wide.csv" -q > /dev/null; rc=$?
check "Markov under the default work limit answers" "[ $rc -eq 0 ]"

# A name the data does not hold is an error (exit 1) naming what was meant, never an empty table.
"$tp" scorecard --stage purchase > "$tmp/typo1" 2>&1; rc=$?
check "an unknown stage exits 1 listing the stages" "[ $rc -eq 1 ] && grep -q \"no stage 'purchase' in the catalog (stages: before, during, after)\" $tmp/typo1"
"$tp" hotspots --segment regio=north > "$tmp/typo2" 2>&1; rc=$?
check "an unknown segment attribute names the nearest" "[ $rc -eq 1 ] && grep -q \"no attribute 'regio'.*did you mean 'region'\" $tmp/typo2"
"$tp" journeys --segment region=nrth > "$tmp/typo3" 2>&1; rc=$?
check "an unknown segment value names the nearest" "[ $rc -eq 1 ] && grep -q \"no row has region 'nrth' (did you mean 'north'?)\" $tmp/typo3"
"$tp" scorecard --touchpoint webiste > "$tmp/typo4" 2>&1; rc=$?
check "an unknown touchpoint names the nearest" "[ $rc -eq 1 ] && grep -q \"did you mean 'website'\" $tmp/typo4"
"$tp" funnel --steps website,chekout > "$tmp/typo5" 2>&1; rc=$?
check "a funnel step finds the word it misspells" "[ $rc -eq 1 ] && grep -q \"did you mean 'online-checkout'\" $tmp/typo5"
"$tp" conform --map online-purchse > "$tmp/typo6" 2>&1; rc=$?
check "an unknown journey map names the nearest" "[ $rc -eq 1 ] && grep -q \"did you mean 'online-purchase'\" $tmp/typo6"

# --column: the files' names of the columns
printf 'user_pseudo_id,event_time,page\nu1,2026-03-01T10:00:00Z,website\nu1,2026-03-01T10:05:00Z,cart\n' > "$tmp/ga.csv"
"$tp" journeys --events "$tmp/ga.csv" --column customer_id=user_pseudo_id --column timestamp=event_time --column touchpoint=page --format csv > "$tmp/ga.out"; rc=$?
check "--column maps a file's names" "[ $rc -eq 0 ] && grep -q '^u1,1,.*,2,' $tmp/ga.out"
"$tp" journeys --events "$tmp/ga.csv" --column timestamp=event_time > "$tmp/ga.err" 2>&1; rc=$?
check "an unmapped column names what is missing" "[ $rc -eq 1 ] && grep -q 'missing required column \"customer_id\"' $tmp/ga.err"

# feedback alone: no event log, so no reach (null), and hot spots rank as without events
"$tp" scorecard --feedback "$data/../../examples/data/feedback.csv" --format csv > "$tmp/fbonly.csv"; rc=$?
check "a feedback-only scorecard has no reach, not a reach of 0" "[ $rc -eq 0 ] && head -1 $tmp/fbonly.csv | cut -d, -f8 | grep -qx reach && [ -z \"\$(cut -d, -f8 $tmp/fbonly.csv | sed 1d | sort -u)\" ]"
"$tp" hotspots --feedback "$data/../../examples/data/feedback.csv" --format csv > "$tmp/fbhot.csv"; rc=$?
check "feedback-only hot spots have an impact" "[ $rc -eq 0 ] && ! cut -d, -f8 $tmp/fbhot.csv | sed 1d | grep -qx -- '-0\|0'"

# a time window: --to of a date alone includes that day; a window that holds no time is refused
"$tp" journeys --from 2026-03-01 --to 2026-03-01 --format csv > "$tmp/day1.csv"; rc=$?
"$tp" journeys --from 2026-03-01 --to 2026-03-02T00:00:00Z --format csv > "$tmp/day2.csv"
check "--to of a date includes its day" "[ $rc -eq 0 ] && [ \$(wc -l < $tmp/day1.csv) -gt 1 ] && cmp -s $tmp/day1.csv $tmp/day2.csv"
"$tp" journeys --from 2026-05-01 --to 2026-03-01 > "$tmp/win" 2>&1; rc=$?
check "a window that ends before it starts is a usage error" "[ $rc -eq 64 ] && grep -q -- '--from 2026-05-01 is not before --to 2026-03-01' $tmp/win"
"$tp" journeys --to 'May 1' > "$tmp/win2" 2>&1; rc=$?
check "an unreadable time says how to write one" "[ $rc -eq 64 ] && grep -q -- \"--to: cannot read 'May 1' as a time: write ISO 8601\" $tmp/win2"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
