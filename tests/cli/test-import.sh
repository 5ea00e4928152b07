#!/bin/sh
# test-import.sh: imports beyond the first: exclusive grids (专属网格) that split keeps whole and
# carves out first, with their errors; re-imports of areas and units that update by code; the
# areas' household totals.
. "$(dirname "$0")/lib.sh"
SRC=${GP_SOURCE_DIR:-$HERE/../..}
[ -f "$SRC/data/demo/专属网格.shp" ] || skip_all "data/demo is absent"
D=$WORK/demo.gpkg
q () { "$PYTHON" -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); r=db.execute(sys.argv[2]).fetchone(); print('' if r is None else r[0])" "$D" "$1"; }
ground_clean () {
  "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
bad = {k: d["counts"][k] for k in ("territory_gap", "overlap", "households_outside", "grid_in_pieces", "crossing_parent") if d["counts"][k]}
assert not bad, bad
' "$WORK/stdout"
}

# --- Exclusive grids: the demo's school and hospital, drawn in Gauss-Kruger metres -------------
check "demo project built" sh "$SRC/tools/make-demo-project.sh" "$CLI" "$D" "$SRC/data/demo"
expect_status 0 "import the demo's exclusive sites" "$CLI" import "$D" "$SRC/data/demo/专属网格.shp" --as exclusive
check "two exclusive grids numbered 901 in their villages, named as the file names them" test \
  "$(q "SELECT group_concat(code || ' ' || name || ' ' || kind, ';') FROM (SELECT * FROM grids ORDER BY code)")" = \
  "150621003001901 召南小学 exclusive;150621003002901 城关医院 exclusive"
check "the import says what it made" grep -q "exclusive grid 150621003001901 (召南小学)" "$WORK/stderr"
BEFORE=$(q "SELECT hex(geom) FROM grids WHERE code = '150621003001901'")
expect_status 0 "split around them" "$CLI" split "$D" --target 300
expect_status 3 "check after the split" "$CLI" check "$D" --json
check "no gap, overlap, stray households or broken grid around the exclusive grids" ground_clean
check "split kept the exclusive grid as it was" test "$(q "SELECT hex(geom) FROM grids WHERE code = '150621003001901'")" = "$BEFORE"
check "split kept both exclusive grids" test "$(q "SELECT count(*) FROM grids WHERE kind = 'exclusive'")" = 2

N=$(q "SELECT count(*) FROM grids")
expect_status 1 "the same sites again overlap the ones there" "$CLI" import "$D" "$SRC/data/demo/专属网格.shp" --as exclusive
one_error_line "$SRC/data/demo/专属网格.shp"
check "the error names the record and the grid overlapped" grep -q "record 0: the exclusive grid overlaps grid 150621003001901" "$WORK/stderr"
check "nothing written" test "$(q "SELECT count(*) FROM grids")" = "$N"

# --- Sites drawn over a unit, with a household count, as points, far away --------------------
"$PYTHON" "$HERE/sites.py" "$D" "$SRC/data/demo/行政区划.prj" "$WORK" >"$WORK/sites.txt" || { echo "# sites.py failed"; exit 1; }
UNIT=$(sed -n 1p "$WORK/sites.txt"); AREA=$(sed -n 2p "$WORK/sites.txt"); UNIT_HH=$(sed -n 3p "$WORK/sites.txt")
OTHER=$(sed -n 4p "$WORK/sites.txt")
OLD_GRID=$(q "SELECT grid_code FROM grid_units WHERE unit_code = '$UNIT'")
OLD_HH=$(q "SELECT households FROM grids WHERE code = '$OLD_GRID'")
expect_status 1 "points are not exclusive grids" "$CLI" import "$D" "$WORK/points.shp" --as exclusive
one_error_line "$WORK/points.shp"
check "the error says they must be polygons" grep -q "record 0: exclusive grids must be polygons" "$WORK/stderr"
expect_status 1 "a site in no village of the project" "$CLI" import "$D" "$WORK/astray.shp" --as exclusive
one_error_line "$WORK/astray.shp"
check "the error says no village holds it" grep -q "record 0: no village or community of the project holds" "$WORK/stderr"
check "nothing written" test "$(q "SELECT count(*) FROM grids")" = "$N"

expect_status 0 "a site over a unit of a split village" "$CLI" import "$D" "$WORK/cover.shp" --as exclusive
check "it took the next number, 902, in $AREA" test "$(q "SELECT name FROM grids WHERE code = '${AREA}902'")" = 第一中学
check "the unit it covers is its own now, with its $UNIT_HH households" test \
  "$(q "SELECT grid_code FROM grid_units WHERE unit_code = '$UNIT'") $(q "SELECT households FROM grids WHERE code = '${AREA}902'")" = \
  "${AREA}902 $UNIT_HH"
check "the basic grid that held it counts its households off" test \
  "$(q "SELECT households FROM grids WHERE code = '$OLD_GRID'")" = "$((OLD_HH - UNIT_HH))"
check "a site with a households field keeps the file's count" test \
  "$(q "SELECT households FROM grids WHERE area_code = '$OTHER' AND name = '物流园'")" = 120
check "the planner is told to split those villages again" grep -q "already have grids: split them again" "$WORK/stderr"
expect_status 3 "check before splitting again finds the basic grid still over the site" "$CLI" check "$D" --json
check "an overlap is reported" "$PYTHON" -c 'import json,sys; assert json.load(open(sys.argv[1]))["counts"]["overlap"] > 0' "$WORK/stdout"
expect_status 0 "split again" "$CLI" split "$D" --target 300
expect_status 3 "check after" "$CLI" check "$D" --json
check "the ground is clean again" ground_clean
check "four exclusive grids kept" test "$(q "SELECT count(*) FROM grids WHERE kind = 'exclusive'")" = 4
check "the unit stayed with its exclusive grid" test "$(q "SELECT grid_code FROM grid_units WHERE unit_code = '$UNIT'")" = "${AREA}902"

# --- The half-yearly redraw: the compounds sent again, without codes, one with 40 more households --
R=$WORK/redraw.gpkg
check "a fresh demo project" sh "$SRC/tools/make-demo-project.sh" "$CLI" "$R" "$SRC/data/demo"
expect_status 0 "split it" "$CLI" split "$R" --target 300
expect_status 0 "the office's compounds as a GeoPackage" "$CLI" convert "$SRC/data/demo/小区与村民小组.shp" "$WORK/units.gpkg"
rq () { "$PYTHON" -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); r=db.execute(sys.argv[2]).fetchone(); print('' if r is None else r[0])" "$R" "$1"; }
NAME=$(rq "SELECT name FROM units WHERE households > 0 ORDER BY code LIMIT 1")
U=$(rq "SELECT code FROM units WHERE name = '$NAME'")
G=$(rq "SELECT grid_code FROM grid_units WHERE unit_code = '$U'")
A=$(rq "SELECT area_code FROM units WHERE code = '$U'")
G_HH=$(rq "SELECT households FROM grids WHERE code = '$G'")
A_HH=$(rq "SELECT households FROM areas WHERE code = '$A'")
check "the area's households are its units' ($A_HH)" test "$A_HH" = "$(rq "SELECT sum(households) FROM units WHERE area_code = '$A'")"
"$PYTHON" - "$WORK/units.gpkg" "$NAME" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
# The GeoPackage's R-tree triggers name ST_ functions SQLite itself lacks (they do not run here).
for f in ('ST_IsEmpty', 'ST_MinX', 'ST_MaxX', 'ST_MinY', 'ST_MaxY'):
    db.create_function(f, 1, lambda blob: 0)
assert db.execute('UPDATE "小区与村民小组" SET "户数" = "户数" + 40 WHERE "名称" = ?', (sys.argv[2],)).rowcount == 1
db.commit()
EOF
UNITS=$(rq "SELECT count(*) FROM units")
expect_status 0 "import them again" env LANGUAGE=zh_CN "$CLI" import "$R" "$WORK/units.gpkg" --as units
check "no unit added: each found by its village and name" test "$(rq "SELECT count(*) FROM units")" = "$UNITS"
check "the change is said (in Chinese)" grep -q "已按代码更新 1 个单元的户数" "$WORK/stderr"
check "the rest are said unchanged" grep -q "$((UNITS - 1)) 个单元已在项目中，未变化" "$WORK/stderr"
check "the grid holding $NAME counts 40 more" test "$(rq "SELECT households FROM grids WHERE code = '$G'")" = "$((G_HH + 40))"
check "so does its village" test "$(rq "SELECT households FROM areas WHERE code = '$A'")" = "$((A_HH + 40))"
check "the grid keeps its unit" test "$(rq "SELECT grid_code FROM grid_units WHERE unit_code = '$U'")" = "$G"
no_leftovers "$WORK"
finish
