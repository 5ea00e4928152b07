#!/bin/sh
# test-screenshot.sh MODE GRIDPLAN GRIDPLAN-CLI: runs `gridplan --screenshot` under Xvfb and
# checks the picture. MODE: demo (a project from data/demo, or from a generated village
# shapefile when data/demo is absent), shapefile (a generated GBK shapefile opened for viewing),
# broken (a garbage .shp: exit status 1, a message naming the file, no picture), load (the
# demo split, its roster assigned, opened with --heatmap per-worker: the grids in the ramp's
# colours), review (the demo split, opened with --mode review: the problem list beside the map),
# plan (the same with --mode plan: the grid list beside the map), density (the demo split,
# opened with --heatmap density: a smooth surface of the households under the grids), split
# (the demo imported, not split, opened with --split 300 --mode plan: the window splits it, the
# project gains its grids and the list shows them), export (the same with --split 300
# --export list.xlsx: the window writes the grid assignment list, a workbook naming the grids),
# select (the demo split, opened with --select of two grids: outlined on the map, the inspector
# beside it), import (the demo imported, opened with --split 300 --import 花名册.csv: the window
# splits it, then reads the roster into it as dropping the file does), people (the demo split,
# opened with --people before and after its roster is read and assigned: an empty list, then a
# list of names beside the map), day and day-zh (a planner's whole day played from day.txt with
# gridplan --script, in English and in Chinese: new project, import, split, merge, undo, move a
# unit, roster, assign, review, export; a picture of each step and the project checked after).
# Exit 77 (skip) when xvfb-run is not installed.
set -u
mode=$1
app=$2
cli=$3
here=$(dirname "$0")
src=${GP_SOURCE_DIR:-$here/../..}

if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "xvfb-run is absent: skipping"
  exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "python3 is absent: skipping"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gridplan-display-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
width=1000
height=700

fail () {
  echo "FAIL: $*"
  exit 1
}

# A private session bus when dbus-run-session exists: GtkApplication registers its name there.
bus=""
command -v dbus-run-session >/dev/null 2>&1 && bus="dbus-run-session --"

screenshot () {
  # The 1280x1024 screen of a plain `xvfb-run -a`, as users and the README run it.
  shot=$1 file=$2
  shift 2
  for attempt in 1 2; do
    GSK_RENDERER=cairo GDK_BACKEND=x11 NO_AT_BRIDGE=1 \
      xvfb-run -a -s "-screen 0 1280x1024x24" $bus \
      "$app" --screenshot "$shot" --size "${width}x${height}" "$@" "$file" >"$tmp/out.txt" 2>"$tmp/err.txt"
    _status=$?
    # Two X servers starting at once can take the same display number: once more, later.
    grep -q -e 'Xvfb failed to start' -e 'cannot open display' -e 'Failed to open display' "$tmp/err.txt" || break
    sleep 2
  done
  return $_status
}
check_extra=""

case "$mode" in
  demo)
    project="$tmp/demo.gpkg"
    "$cli" new "$project" || fail "gridplan-cli new failed"
    if [ -f "$src/data/demo/行政区划.shp" ]; then
      echo "using the demo district in data/demo"
      "$cli" import "$project" "$src/data/demo/行政区划.shp" --as areas || fail "importing the demo areas failed"
      "$cli" import "$project" "$src/data/demo/小区与村民小组.shp" --as units || fail "importing the demo units failed"
    else
      echo "data/demo is absent: using a generated village shapefile"
      python3 "$here/fixture.py" "$tmp/villages.shp" || fail "could not write the fixture"
      "$cli" import "$project" "$tmp/villages.shp" --as areas || fail "importing the fixture failed"
    fi
    screenshot "$tmp/shot.png" "$project"
    status=$?
    ;;
  load)
    [ -f "$src/data/demo/行政区划.shp" ] || { echo "data/demo is absent: skipping"; exit 77; }
    project="$tmp/demo.gpkg"
    sh "$src/tools/make-demo-project.sh" "$cli" "$project" "$src/data/demo" || fail "the demo project failed"
    "$cli" split "$project" --target 300 >/dev/null 2>&1 || fail "split failed"
    "$cli" people "$project" "$src/data/demo/花名册.csv" >/dev/null 2>&1 || fail "people failed"
    "$cli" assign "$project" >/dev/null 2>&1 || fail "assign failed"
    screenshot "$tmp/shot.png" "$project" --heatmap per-worker
    status=$?
    check_extra=heatmap
    ;;
  density)
    [ -f "$src/data/demo/行政区划.shp" ] || { echo "data/demo is absent: skipping"; exit 77; }
    project="$tmp/demo.gpkg"
    sh "$src/tools/make-demo-project.sh" "$cli" "$project" "$src/data/demo" || fail "the demo project failed"
    "$cli" split "$project" --target 300 >/dev/null 2>&1 || fail "split failed"
    screenshot "$tmp/shot.png" "$project" --heatmap density
    status=$?
    check_extra=density
    ;;
  split)
    [ -f "$src/data/demo/行政区划.shp" ] || { echo "data/demo is absent: skipping"; exit 77; }
    project="$tmp/demo.gpkg"
    sh "$src/tools/make-demo-project.sh" "$cli" "$project" "$src/data/demo" || fail "the demo project failed"
    screenshot "$tmp/shot.png" "$project" --split 300 --mode plan
    status=$?
    check_extra=panel
    grids=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM grids').fetchone()[0])" "$project")
    [ "$grids" -gt 40 ] || fail "the window's split left $grids grids in the project"
    echo "ok: the window split the demo into $grids grids"
    ;;
  export)
    [ -f "$src/data/demo/行政区划.shp" ] || { echo "data/demo is absent: skipping"; exit 77; }
    project="$tmp/demo.gpkg"
    sh "$src/tools/make-demo-project.sh" "$cli" "$project" "$src/data/demo" || fail "the demo project failed"
    screenshot "$tmp/shot.png" "$project" --split 300 --export "$tmp/list.xlsx"
    status=$?
    python3 - "$tmp/list.xlsx" <<'EOF' || fail "the window's export is not a workbook of the grids"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
text = ''.join(z.read(n).decode('utf-8') for n in z.namelist() if n.endswith('.xml'))
assert '150621003001001' in text, 'no grid code in the workbook'
print('ok: the window wrote the grid assignment list (%d members)' % len(z.namelist()))
EOF
    ;;
  select)
    [ -f "$src/data/demo/行政区划.shp" ] || { echo "data/demo is absent: skipping"; exit 77; }
    project="$tmp/demo.gpkg"
    sh "$src/tools/make-demo-project.sh" "$cli" "$project" "$src/data/demo" || fail "the demo project failed"
    "$cli" split "$project" --target 300 >/dev/null 2>&1 || fail "split failed"
    codes=$(python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); print(','.join(r[0] for r in db.execute('SELECT code FROM grids WHERE area_code = (SELECT area_code FROM grids WHERE area_code LIKE ? GROUP BY area_code HAVING count(*) >= 2 ORDER BY area_code LIMIT 1) ORDER BY code LIMIT 2', (sys.argv[2],))))" "$project" '15062110%')
    screenshot "$tmp/shot.png" "$project" --select "$codes"
    status=$?
    python3 -c "
import importlib.util, sys
spec = importlib.util.spec_from_file_location('pc', '$here/png-check.py'); pc = importlib.util.module_from_spec(spec); spec.loader.exec_module(pc)
w, h, bpp, rows = pc.read_png(sys.argv[1])
# The selection's line colour, rgb(230, 77, 0), as the map view strokes it.
n = sum(1 for y in range(h) for x in range(0, w * bpp, bpp) if abs(rows[y][x] - 230) < 8 and abs(rows[y][x + 1] - 77) < 8 and rows[y][x + 2] < 10)
print('%d pixels of the selection outline' % n)
sys.exit(0 if n > 100 else 1)" "$tmp/shot.png" || fail "the selected grids are not outlined"
    ;;
  import)
    [ -f "$src/data/demo/花名册.csv" ] || { echo "data/demo is absent: skipping"; exit 77; }
    project="$tmp/demo.gpkg"
    sh "$src/tools/make-demo-project.sh" "$cli" "$project" "$src/data/demo" || fail "the demo project failed"
    screenshot "$tmp/shot.png" "$project" --split 300 --import "$src/data/demo/花名册.csv"
    status=$?
    people=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM people').fetchone()[0])" "$project")
    [ "$people" -gt 100 ] || fail "the window imported $people people from the demo roster"
    echo "ok: the window read $people people from the roster"
    ;;
  people)
    [ -f "$src/data/demo/花名册.csv" ] || { echo "data/demo is absent: skipping"; exit 77; }
    project="$tmp/demo.gpkg"
    sh "$src/tools/make-demo-project.sh" "$cli" "$project" "$src/data/demo" || fail "the demo project failed"
    "$cli" split "$project" --target 300 >/dev/null 2>&1 || fail "split failed"
    # Before the roster: the list says there is no one (no rows of names).
    screenshot "$tmp/empty.png" "$project" --people || fail "gridplan --people exited with status $? without people"
    "$cli" people "$project" "$src/data/demo/花名册.csv" >/dev/null 2>&1 || fail "people failed"
    "$cli" assign "$project" >/dev/null 2>&1 || fail "assign failed"
    screenshot "$tmp/shot.png" "$project" --people
    status=$?
    check_extra=panel
    python3 -c "
import importlib.util, sys
spec = importlib.util.spec_from_file_location('pc', '$here/png-check.py'); pc = importlib.util.module_from_spec(spec); spec.loader.exec_module(pc)
def name_rows(path):
    # Rows of the name column (the list's first 80 px, below its header) with dark text on them.
    w, h, bpp, rows = pc.read_png(path)
    dark = [y for y in range(175, h) if any(sum(rows[y][x:x + 3]) < 240 for x in range(4 * bpp, 80 * bpp, bpp))]
    # Runs of consecutive dark rows: one per line of text.
    return sum(1 for i, y in enumerate(dark) if i == 0 or dark[i - 1] != y - 1)
empty, full = name_rows(sys.argv[1]), name_rows(sys.argv[2])
print('lines of names: %d before the roster, %d after' % (empty, full))
sys.exit(0 if empty == 0 and full >= 12 else 1)" "$tmp/empty.png" "$tmp/shot.png" || fail "the people list does not list the roster"
    ;;
  day|day-zh)
    [ -f "$src/data/demo/花名册.csv" ] || { echo "data/demo is absent: skipping"; exit 77; }
    sed -e "s|@SRC@|$src|g" -e "s|@OUT@|$tmp|g" "$here/day.txt" >"$tmp/day.txt"
    lang=""
    [ "$mode" = day-zh ] && lang="LANGUAGE=zh_CN"
    env $lang GSK_RENDERER=cairo GDK_BACKEND=x11 NO_AT_BRIDGE=1 \
      xvfb-run -a -s "-screen 0 1280x1024x24" $bus \
      "$app" --script "$tmp/day.txt" --size "${width}x${height}" >"$tmp/out.txt" 2>"$tmp/err.txt"
    status=$?
    grep -v -e '^dbus-daemon' -e 'SpiRegistry' "$tmp/err.txt"
    [ "$status" -eq 0 ] || fail "the day's script exited with status $status"
    for n in 01-new 02-imported 03-split 04-merged 05-undone 05-redrawn 06-moved 07-assigned 08-review 09-exported; do
      [ -s "$tmp/$n.png" ] || fail "no picture of step $n"
      python3 "$here/png-check.py" "$tmp/$n.png" "$width" "$height" >/dev/null || fail "the picture of step $n is wrong"
      cp "$tmp/$n.png" "${GP_BUILD_DIR:-$tmp}/display-$mode-$n.png" 2>/dev/null || true
    done
    python3 - "$tmp/day.gpkg" "$tmp/day.xlsx" <<'PY' || fail "the day did not leave the project as it should"
import sqlite3, sys, zipfile
db = sqlite3.connect(sys.argv[1])
one = lambda sql, *a: db.execute(sql, a).fetchone()[0]
grids = one("SELECT count(*) FROM grids")
assert grids >= 40, "%d grids" % grids
# The merge was undone: both grids are there, with their units.
for code in ("150621102201001", "150621102201002"):
    n = one("SELECT count(*) FROM grid_units WHERE grid_code = ?", code)
    assert n >= 1, "grid %s has %d units after the undo" % (code, n)
# The unit moved by hand is in its new grid.
assert one("SELECT grid_code FROM grid_units WHERE unit_code = '150621102206-0006'") == "150621102206002"
assert one("SELECT count(*) FROM people") > 100
assert one("SELECT count(*) FROM assignments") > 50
actions = [r[0] for r in db.execute("SELECT action FROM edit_log ORDER BY id")]
for a in ("import", "split", "edit", "undo"):
    assert a in actions, "no %s in the edit log: %s" % (a, actions)
details = " ".join(r[0] or "" for r in db.execute("SELECT details FROM edit_log WHERE action IN ('edit', 'undo')"))
assert "Redrew 2 grids" in details or "重新划分" in details, details
names = zipfile.ZipFile(sys.argv[2]).namelist()
assert any(n.startswith("xl/worksheets/") for n in names), names
print("ok: %d grids, merge undone, unit moved, %d assignments, %d edits journalled, the list written"
      % (grids, one("SELECT count(*) FROM assignments"), len(actions)))
PY
    exit 0
    ;;
  script-bad)
    # A script with a step that is not one: exit 1, the line named, nothing left running.
    printf 'select 150621102201001\nfrobnicate now\n' >"$tmp/bad.txt"
    GSK_RENDERER=cairo GDK_BACKEND=x11 NO_AT_BRIDGE=1 \
      xvfb-run -a -s "-screen 0 1280x1024x24" $bus \
      "$app" --script "$tmp/bad.txt" --size "${width}x${height}" >"$tmp/out.txt" 2>"$tmp/err.txt"
    status=$?
    grep -v -e '^dbus-daemon' -e 'SpiRegistry' "$tmp/err.txt"
    [ "$status" -eq 1 ] || fail "a bad script gave exit status $status, not 1"
    grep -q 'line 2: no step “frobnicate”' "$tmp/err.txt" || fail "the message does not name the line and the step"
    echo "ok: refused at line 2 with status 1"
    exit 0
    ;;
  review|plan)
    [ -f "$src/data/demo/行政区划.shp" ] || { echo "data/demo is absent: skipping"; exit 77; }
    project="$tmp/demo.gpkg"
    sh "$src/tools/make-demo-project.sh" "$cli" "$project" "$src/data/demo" || fail "the demo project failed"
    "$cli" split "$project" --target 300 >/dev/null 2>&1 || fail "split failed"
    screenshot "$tmp/shot.png" "$project" --mode "$mode"
    status=$?
    check_extra=panel
    ;;
  shapefile)
    python3 "$here/fixture.py" "$tmp/villages.shp" || fail "could not write the fixture"
    screenshot "$tmp/shot.png" "$tmp/villages.shp"
    status=$?
    ;;
  broken)
    printf 'this is not a shapefile at all, just text pretending to be one\n' >"$tmp/broken.shp"
    screenshot "$tmp/shot.png" "$tmp/broken.shp"
    status=$?
    grep -v -e '^dbus-daemon' -e 'SpiRegistry' "$tmp/err.txt"
    [ "$status" -eq 1 ] || fail "a broken file gave exit status $status, not 1"
    grep -q 'broken.shp' "$tmp/err.txt" || fail "the message does not name the file"
    [ ! -e "$tmp/shot.png" ] || fail "a picture was written for a broken file"
    echo "ok: refused with status 1"
    exit 0
    ;;
  *)
    echo "unknown mode $mode"
    exit 2
    ;;
esac

grep -v -e '^dbus-daemon' -e 'SpiRegistry' "$tmp/err.txt"
[ "$status" -eq 0 ] || fail "gridplan --screenshot exited with status $status"
[ -s "$tmp/shot.png" ] || fail "no picture was written"
python3 "$here/png-check.py" "$tmp/shot.png" "$width" "$height" $check_extra || fail "the picture is wrong"
# Keep the last picture where a reviewer can look at it.
cp "$tmp/shot.png" "${GP_BUILD_DIR:-$tmp}/display-$mode.png" 2>/dev/null || true
