#!/bin/sh
# test-split.sh: `gridplan-cli split` on generated units (one go and through a project), `report`,
# errors, and SF block groups from ../shared/data where present.
. "$(dirname "$0")/lib.sh"
DATA=$WORK/split
"$PYTHON" "$HERE/split_data.py" make "$DATA" || { echo "# cannot write fixtures"; exit 1; }
sd () { "$PYTHON" "$HERE/split_data.py" "$@"; }

# ---- one go: a units file ----
expect_status 0 "split units.shp --parent VILLAGE --json" \
  "$CLI" split "$DATA/units.shp" --weight HH --target 300 --parent VILLAGE --seed 7 \
  --assign-csv "$WORK/assign.csv" --grids "$WORK/grids.gpkg" --json
cp "$WORK/stdout" "$WORK/report.json"
check "the report is the contract's JSON: contiguous, nested, exact coverage" \
  sd report "$WORK/report.json" grids.noncontiguous=0 grids.crossing_parent=0 \
  "coverage.gap_area_m2=<1" "coverage.overlap_area_m2=<1" coverage.households_outside=0 \
  grids.oversize=1 grids.target=300 "grids.within_20pct=>0.9" "elapsed_s=>0" areas=2
check "numbers written as they mean: the tolerance is 0.15, no float noise" \
  sh -c 'grep -q "\"tolerance\" : 0.15," "$1" && ! grep -qE "\\.[0-9]{7,}" "$1"' - "$WORK/report.json"
check "per area: the two villages with their gap and overlap" \
  "$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); a=d["by_area"]; assert len(a)==2 and all(x["gap_area_m2"]<1 and x["overlap_area_m2"]<1 and x["noncontiguous"]==[] for x in a), a' "$WORK/report.json"
check "every unit once in the CSV, codes of its village, grids near the target" \
  sd assign "$WORK/assign.csv" "$DATA/units.json" parent
expect_status 0 "info on the grids written" "$CLI" info "$WORK/grids.gpkg" --json
count=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["grids"]["count"])' "$WORK/report.json")
check "the grids file has one polygon per grid" grep -q "\"feature_count\" *: *$count" "$WORK/stdout"

# The same seed gives the same grids.
expect_status 0 "split again with the same seed" \
  "$CLI" split "$DATA/units.shp" --weight HH --target 300 --parent VILLAGE --seed 7 \
  --assign-csv "$WORK/assign2.csv" --grids "$WORK/grids.shp"
check "the same assignment" cmp -s "$WORK/assign.csv" "$WORK/assign2.csv"
check "a shapefile of grids" test -s "$WORK/grids.shp" -a -s "$WORK/grids.dbf"
check "text mode says what was done" grep -q "grids" "$WORK/stdout"

# Without --parent the whole file is one area, coded 000000000000NNN.
expect_status 0 "split without --parent" \
  "$CLI" split "$DATA/units.shp" --weight HH --target 300 --assign-csv "$WORK/one.csv" --json
check "one area, still exact" sd report "$WORK/stdout" areas=1 grids.noncontiguous=0 "coverage.gap_area_m2=<1"
check "codes of an area without code" sd assign "$WORK/one.csv" "$DATA/units.json" none

# Household points: the area is their hull; grids from their Voronoi cells.
expect_status 0 "split household points" \
  "$CLI" split "$DATA/points.shp" --weight N --target 150 --json
check "points: every household in a grid, grids in one piece" \
  sd report "$WORK/stdout" mode='"points"' grids.count=10 coverage.households_outside=0 \
  grids.noncontiguous=0 "coverage.gap_area_m2=<1"

# ---- errors: one line naming the file (and record), nothing left behind ----
expect_status 2 "no --target" "$CLI" split "$DATA/units.shp" --weight HH
expect_status 2 "a target that is not a number" "$CLI" split "$DATA/units.shp" --weight HH --target lots
expect_status 2 "a tolerance of 1 or more" "$CLI" split "$DATA/units.shp" --weight HH --target 300 --tolerance 1.5
expect_status 1 "a weight field that is not there" \
  "$CLI" split "$DATA/units.shp" --weight NOPE --target 300 --assign-csv "$WORK/err/a.csv"
one_error_line "$DATA/units.shp"
expect_status 1 "a negative household count" \
  "$CLI" split "$DATA/negative.shp" --weight HH --target 300 --assign-csv "$WORK/neg.csv"
one_error_line "$DATA/negative.shp"
check "the error names the record" grep -q "record 2" "$WORK/stderr"
check "no CSV written on error" test ! -e "$WORK/neg.csv"
expect_status 1 "households that are not a number" "$CLI" split "$DATA/text.shp" --weight HH --target 300
one_error_line "$DATA/text.shp"
expect_status 1 "a file without records" "$CLI" split "$DATA/empty.shp" --weight HH --target 300
one_error_line "$DATA/empty.shp"
expect_status 1 "records without geometry" "$CLI" split "$DATA/nulls.shp" --weight HH --target 300
one_error_line "$DATA/nulls.shp"
expect_status 1 "a file that is not there" "$CLI" split "$WORK/none.shp" --weight HH --target 300
one_error_line "$WORK/none.shp"
expect_status 1 "grids to an unknown format" \
  "$CLI" split "$DATA/units.shp" --weight HH --target 300 --grids "$WORK/grids.txt"
no_leftovers "$WORK"

# ---- a project ----
P=$WORK/plan.gpkg
expect_status 0 "new project" "$CLI" new "$P"
expect_status 0 "import villages" "$CLI" import "$P" "$DATA/villages.shp" --as areas --code-field CODE --name-field NAME
expect_status 0 "import units" "$CLI" import "$P" "$DATA/units.shp" --as units --code-field CODE \
  --name-field NAME --households-field HH --parent-field VILLAGE
expect_status 0 "split the project" "$CLI" split "$P" --target 300 --seed 1 --json
cp "$WORK/stdout" "$WORK/project.json"
check "project split: exact, contiguous, nested" sd report "$WORK/project.json" areas=2 \
  grids.noncontiguous=0 grids.crossing_parent=0 "coverage.gap_area_m2=<1" "coverage.overlap_area_m2=<1" \
  coverage.households_outside=0
check "grids and grid_units written" sd project "$P" "grids:150603001001=>3" "grids:150603001002=>3" \
  members codes households "dump:$WORK/before.txt"
expect_status 0 "report --json" "$CLI" report "$P" --json
cp "$WORK/stdout" "$WORK/stored.json"
check "report measures the stored grids the same" sd report "$WORK/stored.json" \
  grids.count="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["grids"]["count"])' "$WORK/project.json")" \
  grids.noncontiguous=0 "coverage.gap_area_m2=<1" "coverage.overlap_area_m2=<1" coverage.households_outside=0
expect_status 0 "report (text)" "$CLI" report "$P"
check "text report names the project" grep -q "plan.gpkg" "$WORK/stdout"

# Re-split one area with another seed, a grid of the other area locked: the other area and
# the locked grid stay exactly as they were.
check "lock a grid" sd project "$P" lock:150603001002001
expect_status 0 "split one area again" "$CLI" split "$P" --target 300 --seed 99 --area 150603001001
check "grids still complete" sd project "$P" members codes households locked:150603001002001 "dump:$WORK/after.txt"
check "the other area is untouched" sh -c 'grep "^150603001002" "$1" >"$1.b"; grep "^150603001002" "$2" >"$2.b"; cmp -s "$1.b" "$2.b"' \
  sh "$WORK/before.txt" "$WORK/after.txt"
expect_status 0 "split everything again around the locked grid" "$CLI" split "$P" --target 300 --seed 5
check "the locked grid is kept" sd project "$P" locked:150603001002001 members codes "dump:$WORK/again.txt"
check "locked grid identical" sh -c 'grep "^150603001002001 " "$1" >"$1.l"; grep "^150603001002001 " "$2" >"$2.l"; cmp -s "$1.l" "$2.l"' \
  sh "$WORK/before.txt" "$WORK/again.txt"
expect_status 1 "an area that is not there" "$CLI" split "$P" --target 300 --area 999999999999
one_error_line "$P"
no_leftovers "$WORK"

# ---- the GBK demo district (data/demo) end to end, the way tools/make-demo-project.sh builds it ----
SRC=${GP_SOURCE_DIR:-$HERE/../..}
D=$WORK/demo.gpkg
check "demo project built" sh "$SRC/tools/make-demo-project.sh" "$CLI" "$D" "$SRC/data/demo"
expect_status 0 "split the demo district" "$CLI" split "$D" --target 300 --json
cp "$WORK/stdout" "$WORK/demo.json"
check "demo: every community and village, contiguous, nested, exact, every household in a grid" \
  sd report "$WORK/demo.json" areas=15 grids.noncontiguous=0 grids.crossing_parent=0 \
  "coverage.gap_area_m2=<1" "coverage.overlap_area_m2=<1" coverage.households_outside=0 "grids.count=>40"
check "demo: oversize compounds explained" grep -q "grids of their own" "$WORK/demo.json"
check "demo grids written with their units" sd project "$D" members codes households
expect_status 0 "report on the demo" "$CLI" report "$D" --json
check "demo report: the stored grids measure the same" sd report "$WORK/stdout" grids.noncontiguous=0 \
  grids.crossing_parent=0 "coverage.gap_area_m2=<1" coverage.households_outside=0
check "demo report: what the split could not meet is kept in the project" grep -q "grids of their own" "$WORK/stdout"
check "demo report: text and JSON agree on the counts" "$PYTHON" -c '
import json, re, subprocess, sys
d = json.load(open(sys.argv[1]))
text = subprocess.run([sys.argv[2], "report", sys.argv[3]], capture_output=True, text=True).stdout
g = d["grids"]
assert "%d grids" % g["count"] in text, text
m = re.search(r"not in one piece: (\d+);.*oversize: (\d+)", text)
assert m and int(m.group(1)) == g["noncontiguous"] and int(m.group(2)) == g["oversize"], (m and m.groups(), g)
assert "grids of their own" in text
' "$WORK/stdout" "$CLI" "$D"

# ---- SF block groups (../shared/data), T = 10 × the mean households of a unit ----
BG=${GP_SHARED_DATA:-$HERE/../../../shared/data}/corpus/pyshp/blockgroups.shp
if [ -f "$BG" ]; then
  expect_status 0 "split SF block groups" "$CLI" split "$BG" --weight HOUSEHOLDS --target 5022 --json
  cp "$WORK/stdout" "$WORK/bg.json"
  sed 's/^/# /' "$WORK/bg.json" | grep -E "within|noncontiguous|polsby|gap|overlap|elapsed"
  check "block groups: contiguous, exact, ≥95% within ±10%" sd report "$WORK/bg.json" \
    grids.noncontiguous=0 grids.crossing_parent=0 "coverage.gap_area_m2=<1" "coverage.overlap_area_m2=<1" \
    coverage.households_outside=0 "grids.within_10pct=>0.95"
else
  checks=$((checks + 1)); echo "ok $checks - SF block groups # SKIP ../shared/data is absent"
fi

# ---- Providence blocks and Delaware precincts (../shared/data), T = 10 × the mean unit ----
# The issue's peer, gpmetis -contig, reaches w10 0.82 and PP 0.42 on the Providence blocks
# (its largest block holds 3.2·T, so ≥ 0.95 is not asked there); we must not fall below it.
split_shared () {
  name=$1 shp=$2 field=$3 target=$4; shift 4
  if [ -f "$shp" ]; then
    expect_status 0 "split $name" "$CLI" split "$shp" --weight "$field" --target "$target" --json
    cp "$WORK/stdout" "$WORK/$name.json"
    sed 's/^/# /' "$WORK/$name.json" | grep -E "within|noncontiguous|polsby|gap|overlap"
    check "$name: contiguous, nested, exact, balanced and compact" sd report "$WORK/$name.json" \
      grids.noncontiguous=0 grids.crossing_parent=0 "coverage.gap_area_m2=<1" \
      "coverage.overlap_area_m2=<1" coverage.households_outside=0 "$@"
  else
    checks=$((checks + 1)); echo "ok $checks - $name # SKIP ../shared/data is absent"
  fi
}
US=${GP_SHARED_DATA:-$HERE/../../../shared/data}/us
split_shared providence "$US/mggg-RI/Providence_blocks/Providence_blocks.shp" TOTPOP 591 \
  "grids.within_10pct=>0.9" "grids.mean_polsby_popper=>0.42"
split_shared delaware "$US/mggg-DE/DE_precincts/DE_precincts.shp" TOTPOP 20882 \
  "grids.within_10pct=>0.95" "grids.mean_polsby_popper=>0.4"

finish
