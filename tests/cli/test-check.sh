#!/bin/sh
# test-check.sh: `gridplan-cli check`: the demo district after a split has no ground problems;
# a grid deleted and one copied as another GIS might leave them are found where they are, in
# the same measure as `report`; the people once a roster is in; JSON as the contract says.
. "$(dirname "$0")/lib.sh"
SRC=${GP_SOURCE_DIR:-$HERE/../..}
D=$WORK/demo.gpkg
q () { "$PYTHON" -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); print(db.execute(sys.argv[2]).fetchone()[0])" "$D" "$1"; }
sql () { "$PYTHON" -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.executescript(sys.argv[2]); db.commit()" "$D" "$1"; }

check "demo project built" sh "$SRC/tools/make-demo-project.sh" "$CLI" "$D" "$SRC/data/demo"
expect_status 0 "split the demo district" "$CLI" split "$D" --target 300
expect_status 3 "check after the split (grids off the target are problems)" "$CLI" check "$D" --json
cp "$WORK/stdout" "$WORK/first.json"
check "the JSON as the contract says; no ground problems after a split; people not yet checked" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
kinds = ["territory_gap", "overlap", "households_outside", "grid_in_pieces", "crossing_parent", "oversize",
         "undersize", "grid_without_worker", "community_short_of_workers", "households_without_party_contact",
         "person_unplaced"]
assert sorted(d["counts"]) == sorted(kinds), d["counts"]
assert sum(d["counts"].values()) == len(d["problems"]) > 0
for p in d["problems"]:
    for k in ("kind", "area", "grid", "count", "area_m2", "at", "message"):
        assert k in p, (k, p)
    assert p["kind"] in kinds and p["message"]
    x, y = p["at"]
    assert 109 < x < 111 and 40 < y < 41, p
for k in ("territory_gap", "overlap", "households_outside", "grid_in_pieces", "crossing_parent"):
    assert d["counts"][k] == 0, (k, d["counts"])
assert d["people_checked"] is False
assert d["counts"]["oversize"] + d["counts"]["undersize"] > 0
' "$WORK/first.json"

# Another GIS deletes one grid and copies another under a new code.
GONE=$(q "SELECT code FROM grids WHERE area_code = (SELECT area_code FROM grids GROUP BY area_code HAVING count(*) >= 3 ORDER BY area_code LIMIT 1) ORDER BY code LIMIT 1 OFFSET 1")
GONE_AREA=$(q "SELECT area_code FROM grids WHERE code = '$GONE'")
GONE_UNITS=$(q "SELECT count(*) FROM grid_units WHERE grid_code = '$GONE'")
COPIED=$(q "SELECT code FROM grids WHERE code <> '$GONE' ORDER BY code DESC LIMIT 1")
sql "PRAGMA foreign_keys = ON; DELETE FROM grids WHERE code = '$GONE';
     INSERT INTO grids (geom, code, name, area_code, households) SELECT geom, code || '9', name, area_code, households FROM grids WHERE code = '$COPIED';"
expect_status 3 "check after the edits elsewhere" "$CLI" check "$D" --json
cp "$WORK/stdout" "$WORK/edited.json"
expect_status 0 "report of the same project" "$CLI" report "$D" --json
check "the deleted grid is a gap of its area, its units' households in no grid; the copy overlaps its original" "$PYTHON" -c '
import json, sqlite3, sys
d, r = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
gone_area, n_units, copied = sys.argv[3], int(sys.argv[4]), sys.argv[5]
gaps = [p for p in d["problems"] if p["kind"] == "territory_gap"]
assert len(gaps) >= 1 and all(p["area"] == gone_area for p in gaps), gaps
total = sum(p["area_m2"] for p in gaps)
assert abs(total - r["coverage"]["gap_area_m2"]) <= 0.01 * r["coverage"]["gap_area_m2"] + 1, (total, r["coverage"])
outside = [p for p in d["problems"] if p["kind"] == "households_outside"]
assert len(outside) == n_units > 0 and all(p["area"] == gone_area and p["count"] > 0 for p in outside), outside
over = [p for p in d["problems"] if p["kind"] == "overlap"]
assert len(over) == 1 and {over[0]["grid"], over[0]["other_grid"]} == {copied, copied + "9"}, over
assert abs(over[0]["area_m2"] - r["coverage"]["overlap_area_m2"]) <= 0.01 * r["coverage"]["overlap_area_m2"] + 1, (over, r["coverage"])
' "$WORK/edited.json" "$WORK/stdout" "$GONE_AREA" "$GONE_UNITS" "$COPIED"
expect_status 3 "in words, in Chinese" env LANGUAGE=zh_CN "$CLI" check "$D"
check "the sentences are Chinese and the count closes them" sh -c 'grep -q "不在任何网格" "$1" && grep -q "个问题" "$1"' - "$WORK/stdout"

# The people, once a roster is in and assigned.
expect_status 0 "import the roster" "$CLI" people "$D" "$SRC/data/demo/花名册.csv"
expect_status 0 "assign" "$CLI" assign "$D"
expect_status 3 "check with people" "$CLI" check "$D" --json
check "people checked: the unplaced are the people assign left without a grid" "$PYTHON" -c '
import json, sqlite3, sys
d = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
assert d["people_checked"] is True
un = db.execute("SELECT count(*) FROM people WHERE role IN (\"fulltime\", \"party\", \"instructor\", \"building_head\", \"unit_head\")"
                " AND id NOT IN (SELECT person_id FROM assignments)").fetchone()[0]
assert d["counts"]["person_unplaced"] == un > 0, (d["counts"], un)
without = db.execute("SELECT count(*) FROM grids WHERE code NOT IN (SELECT grid_code FROM assignments WHERE role = \"fulltime\")").fetchone()[0]
assert d["counts"]["grid_without_worker"] == without, (d["counts"], without)
hh = dict(db.execute("SELECT code, households FROM grids").fetchall())
listed = sum(p["count"] for p in d["problems"] if p["kind"] == "households_without_party_contact")
assert listed > 0
' "$WORK/stdout" "$D"

# Service items: the demo's GBK ledger (a title row above the header), into their grids.
expect_status 0 "import the service-item ledger" "$CLI" events "$D" "$SRC/data/demo/服务事项.csv" --json
cp "$WORK/stdout" "$WORK/events.json"
expect_status 0 "import it again" "$CLI" events "$D" "$SRC/data/demo/服务事项.csv" --json
cp "$WORK/stdout" "$WORK/again.json"
expect_status 0 "report with service items" "$CLI" report "$D" --json
check "every item imported once, placed in the grid holding it, counted in the report" "$PYTHON" -c '
import json, sqlite3, sys
e, again, r = (json.load(open(f)) for f in sys.argv[1:4])
db = sqlite3.connect(sys.argv[4])
assert e["imported"] == 240 and e["rejected"] == 0 and e["encoding"] != "UTF-8", e
assert again["imported"] == 0 and again["updated"] == 240, again
s = e["by_status"]
assert s["red"] > 0 and s["yellow"] > 0 and s["green"] > 0 and sum(s.values()) == 240, s
assert (r["load"]["red"], r["load"]["yellow"], r["load"]["green"]) == (s["red"], s["yellow"], s["green"]), r["load"]
placed = db.execute("SELECT count(*) FROM events WHERE grid_code IN (SELECT code FROM grids)").fetchone()[0]
assert placed == 240 - e["flagged"], (placed, e)
' "$WORK/events.json" "$WORK/again.json" "$WORK/stdout" "$D"
printf '编号,状态,网格编码\nX1,紫,\n' >"$WORK/bad.csv"
expect_status 0 "a ledger with a bad row" "$CLI" events "$D" "$WORK/bad.csv"
check "the bad row reported by its line" grep -q "bad.csv: line 2: rejected" "$WORK/stderr"
printf '编号,事项\nX1,路灯\n' >"$WORK/nostatus.csv"
expect_status 1 "a ledger without a status column" "$CLI" events "$D" "$WORK/nostatus.csv"
one_error_line "$WORK/nostatus.csv"

# Printed maps: one page each, the heatmap's legend, Chinese names and grid labels in the text.
M=$WORK/maps
mkdir -p "$M"
expect_status 0 "a PNG map of households" env LANGUAGE=zh_CN "$CLI" export "$D" --map "$M/households.png" --heatmap households
check "the PNG is at print resolution (at least 1000 x 700)" "$PYTHON" -c '
import struct, sys
head = open(sys.argv[1], "rb").read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", head[16:24])
assert w >= 1000 and h >= 700, (w, h)
' "$M/households.png"
expect_status 0 "a PDF map of one street, deviation" env LANGUAGE=zh_CN "$CLI" export "$D" --map "$M/锡尼街道.pdf" \
  --heatmap deviation --area 150621003 --size A3
if command -v pdfinfo >/dev/null 2>&1; then
  check "one A3 page" sh -c 'pdfinfo "$1" | grep -q "^Pages: *1$" && pdfinfo "$1" | grep -q "1191 x 842"' - "$M/锡尼街道.pdf"
  check "its text: the street, a community, grid labels with households, the legend" sh -c \
    'pdftotext "$1" - | tr -d "\f" > "$2" && grep -q "锡尼街道" "$2" && grep -q "社区" "$2" && grep -q "001 · [0-9]*户" "$2" && grep -q "与目标户数的偏差" "$2"' \
    - "$M/锡尼街道.pdf" "$WORK/map.txt"
fi
expect_status 0 "an SVG map of party-contact coverage" "$CLI" export "$D" --map "$M/cover.svg" --heatmap contact-coverage
check "the SVG is one page of vector drawing" sh -c 'head -c 300 "$1" | grep -q "<svg" && grep -q "<path" "$1"' - "$M/cover.svg"
expect_status 0 "a household density map of the street" env LANGUAGE=zh_CN "$CLI" export "$D" --map "$M/density.pdf" \
  --heatmap density --area 150621003
if command -v pdftotext >/dev/null 2>&1; then
  check "its legend: density per km² and the bandwidth chosen" sh -c \
    'pdftotext "$1" - | grep -q "住户密度" && pdftotext "$1" - | grep -q "每平方千米 [0-9]* 户" && pdftotext "$1" - | grep -q "带宽 [0-9]* 米"' \
    - "$M/density.pdf"
fi
expect_status 0 "a density map with a bandwidth given" env LANGUAGE=zh_CN "$CLI" export "$D" --map "$M/density2.pdf" \
  --heatmap density --bandwidth 150
if command -v pdftotext >/dev/null 2>&1; then
  check "the bandwidth given is the one drawn" sh -c 'pdftotext "$1" - | grep -q "带宽 150 米"' - "$M/density2.pdf"
fi
expect_status 2 "a bandwidth without a density" "$CLI" export "$D" --map "$M/x.png" --bandwidth 100
expect_status 1 "an area not in the project" "$CLI" export "$D" --map "$M/none.png" --area 999
one_error_line "$M/none.png"
check "no file from the failed map" sh -c '! ls "$1" | grep -q none' - "$M"
no_leftovers "$M"
expect_status 2 "a map of an unknown kind" "$CLI" export "$D" --map "$M/map.jpg"
expect_status 2 "an unknown heatmap" "$CLI" export "$D" --map "$M/map.png" --heatmap beauty
expect_status 2 "--heatmap without --map" "$CLI" export "$D" --heatmap households

# Notice boards: a page per grid, every code printed, the QR code reads back as the grid's code.
expect_status 0 "notice boards of every grid" env LANGUAGE=zh_CN "$CLI" export "$D" --notice-boards "$M/公示牌.pdf" \
  --hotline 0477-3961234
GRIDS=$(q "SELECT count(*) FROM grids")
FIRST=$(q "SELECT min(code) FROM grids")
if command -v pdfinfo >/dev/null 2>&1; then
  check "one page per grid" sh -c 'pdfinfo "$1" | grep -q "^Pages: *$2$"' - "$M/公示牌.pdf" "$GRIDS"
  check "every grid code, the title, the four sides and the hotline in the text" "$PYTHON" -c '
import sqlite3, subprocess, sys
text = subprocess.run(["pdftotext", sys.argv[1], "-"], capture_output=True, check=True).stdout.decode()
db = sqlite3.connect(sys.argv[2])
for code, in db.execute("SELECT code FROM grids"):
    assert code in text, code
for words in ("网格公示牌", "东至", "南至", "西至", "北至", "专职网格员", "网格员职责", "0477-3961234"):
    assert words in text, words
for idn, in db.execute("SELECT id_number FROM people WHERE id_number IS NOT NULL"):
    assert idn not in text, "an ID number on a board"
' "$M/公示牌.pdf" "$D"
  if command -v zbarimg >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
    check "the first board's QR code reads as its grid code" sh -c \
      'pdftoppm -png -r 150 -f 1 -l 1 "$1" "$2/qr" && [ "$(zbarimg --raw -q "$2"/qr*.png 2>/dev/null)" = "$3" ]' \
      - "$M/公示牌.pdf" "$WORK" "$FIRST"
  fi
fi
expect_status 0 "the boards of one community" "$CLI" export "$D" --notice-boards "$M/one.pdf" --area "$GONE_AREA"
expect_status 1 "boards of an area without grids" "$CLI" export "$D" --notice-boards "$M/none.pdf" --area 999
one_error_line "$M/none.pdf"
no_leftovers "$M"
expect_status 2 "boards as PNG" "$CLI" export "$D" --notice-boards "$M/b.png"

# Errors.
echo "not a project" >"$WORK/not.gpkg"
expect_status 1 "a file that is not a project" "$CLI" check "$WORK/not.gpkg"
one_error_line "$WORK/not.gpkg"
expect_status 2 "no project named" "$CLI" check
finish
