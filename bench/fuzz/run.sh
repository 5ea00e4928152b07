#!/bin/sh
# bench/fuzz/run.sh [FUZZER...]: builds the libFuzzer harnesses with clang (address and undefined
# sanitizers) in build-fuzz/, makes their seed corpora from data/demo with our own tools, and runs
# each named fuzzer (default: shp roster project) for DURATION seconds (3600), side by side.
# Inputs that crash, leak or hang land in $DIR/crashes (DIR: /tmp/gridplan-fuzz); keep each one
# as a regression case in tests/data/fuzz/<fuzzer>/ (tests/unit/fuzz replays them in CI).
# Knobs (environment): DURATION, DIR, BUILD (build-fuzz), NICE (10).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
DURATION=${DURATION:-3600}
DIR=${DIR:-/tmp/gridplan-fuzz}
BUILD=${BUILD:-$src/build-fuzz}
NICE=${NICE:-10}
fuzzers=${*:-shp roster project}
SEP='
--8<--
'

command -v clang >/dev/null 2>&1 || { echo "run.sh: clang is needed (apt-get install clang)" >&2; exit 1; }
if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang CFLAGS="-fsanitize=fuzzer-no-link" meson setup "$BUILD" "$src" -Dfuzz=true -Dgui=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$BUILD" bench/fuzz/fuzz-shp bench/fuzz/fuzz-roster bench/fuzz/fuzz-project src/cli/gridplan-cli >/dev/null
cli="$BUILD/src/cli/gridplan-cli"
mkdir -p "$DIR/seeds" "$DIR/corpus" "$DIR/crashes" "$DIR/logs"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export LSAN_OPTIONS=suppressions=$src/tests/lsan.supp

# Seeds: the demo's three shapefiles (.shp, .shx, .dbf, .cpg joined by the separator).
demo="$src/data/demo"
mkdir -p "$DIR/seeds/shp" "$DIR/seeds/roster" "$DIR/seeds/project"
for name in 行政区划 小区与村民小组 专属网格; do
  out="$DIR/seeds/shp/$name"
  cat "$demo/$name.shp" >"$out"
  printf '%s' "$SEP" >>"$out"; cat "$demo/$name.shx" >>"$out"
  printf '%s' "$SEP" >>"$out"; cat "$demo/$name.dbf" >>"$out"
  if [ -f "$demo/$name.cpg" ]; then printf '%s' "$SEP" >>"$out"; cat "$demo/$name.cpg" >>"$out"; fi
done

# The project the roster is imported into (the demo split), and the project seeds: an empty
# project, the demo's areas and units, the same split with a small roster assigned.
rm -f "$DIR/project.gpkg" "$DIR/seeds/project/"*
sh "$src/tools/make-demo-project.sh" "$cli" "$DIR/project.gpkg" "$demo"
"$cli" new "$DIR/seeds/project/empty.gpkg" >/dev/null
cp "$DIR/project.gpkg" "$DIR/seeds/project/imported.gpkg"
"$cli" split "$DIR/project.gpkg" --target 300 >/dev/null 2>&1
head -n 40 "$demo/花名册.csv" >"$DIR/roster.csv"
{ printf '\000'; cat "$DIR/roster.csv"; } >"$DIR/seeds/roster/roster-csv"
cp "$DIR/project.gpkg" "$DIR/seeds/project/assigned.gpkg"
"$cli" people "$DIR/seeds/project/assigned.gpkg" "$DIR/roster.csv" >/dev/null 2>&1 || true
"$cli" assign "$DIR/seeds/project/assigned.gpkg" >/dev/null 2>&1 || true
rm -f "$DIR/people.xlsx"
"$cli" export "$DIR/seeds/project/assigned.gpkg" --people "$DIR/people.xlsx" --with-personal-data >/dev/null 2>&1 || true
[ -f "$DIR/people.xlsx" ] && { printf '\001'; cat "$DIR/people.xlsx"; } >"$DIR/seeds/roster/roster-xlsx"
if python3 -c 'import xlwt' 2>/dev/null; then
  python3 - "$DIR/roster.csv" "$DIR/roster.xls" <<'PY'
import csv, sys, xlwt
book = xlwt.Workbook(encoding='utf-8')
sheet = book.add_sheet('花名册')
for r, row in enumerate(csv.reader(open(sys.argv[1], encoding='utf-8-sig'))):
    for c, cell in enumerate(row):
        sheet.write(r, c, cell)
book.save(sys.argv[2])
PY
  { printf '\002'; cat "$DIR/roster.xls"; } >"$DIR/seeds/roster/roster-xls"
fi

largest () { ls -l "$1" | awk 'NR > 1 && $5 > m { m = $5 } END { print m + 4096 }'; }
pids=""
for f in $fuzzers; do
  mkdir -p "$DIR/corpus/$f"
  max=$(largest "$DIR/seeds/$f")
  echo "fuzz-$f: $DURATION s, inputs up to $max bytes, log $DIR/logs/$f.log"
  (cd "$DIR" && GRIDPLAN_FUZZ_PROJECT="$DIR/project.gpkg" timeout $((DURATION + 300)) \
    nice -n "$NICE" "$BUILD/bench/fuzz/fuzz-$f" -max_total_time="$DURATION" -max_len="$max" -timeout=60 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$DIR/crashes/$f-" \
    "$DIR/corpus/$f" "$DIR/seeds/$f" >"$DIR/logs/$f.log" 2>&1) &
  pids="$pids $!"
done
status=0
for p in $pids; do wait "$p" || status=1; done
for f in $fuzzers; do
  echo "== fuzz-$f"
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^#[0-9]+.*(DONE|cov:)' "$DIR/logs/$f.log" | tail -4
  grep -E 'ERROR: |SUMMARY: |Test unit written' "$DIR/logs/$f.log" | head -5 || true
done
ls "$DIR/crashes"
exit $status
