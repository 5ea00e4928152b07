#!/bin/sh
# test-people.sh: `gridplan-cli people`: the demo district's GBK roster end to end, re-import in
# place, problem rows by line with --rejects, and errors.
. "$(dirname "$0")/lib.sh"
SRC=${GP_SOURCE_DIR:-$HERE/../..}
D=$WORK/demo.gpkg
R=$SRC/data/demo/花名册.csv
jq_ () { "$PYTHON" -c "import json,sys; d=json.load(open(sys.argv[1])); $1" "$WORK/stdout"; }

check "demo project built" sh "$SRC/tools/make-demo-project.sh" "$CLI" "$D" "$SRC/data/demo"
expect_status 0 "import the demo roster (GBK, CRLF)" "$CLI" people "$D" "$R" --json
check "every row of the demo roster imported, by role" jq_ '
assert d["imported"] == 797 and d["updated"] == 0 and d["rejected"] == 0 and d["flagged"] == 0, d
r = d["by_role"]
assert r["fulltime"] == 77 and r["parttime"] == 86 and r["party"] == 545, r
assert r["building_head"] == 78 and r["instructor"] == 11, r
assert d["encoding"].startswith("GB"), d["encoding"]'
expect_status 0 "import it again" "$CLI" people "$D" "$R" --json
check "a second import updates everyone in place" jq_ 'assert d["imported"] == 0 and d["updated"] == 797, d'
check "people stored once, in their communities" "$PYTHON" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n, with_area = db.execute("SELECT count(*), count(area_code) FROM people").fetchone()
assert n == 797 and with_area == 797, (n, with_area)
assert db.execute("SELECT count(*) FROM people WHERE area_code NOT IN (SELECT code FROM areas)").fetchone()[0] == 0
' "$D"

# The same roster saved by old Excel (.xls, BIFF8), on a named sheet below a title row; a phone
# typed as a number keeps its digits, an ID number typed as a number is refused by its row.
XLWT_PY=
for py in "$PYTHON" /usr/bin/python3; do
  if [ -z "$XLWT_PY" ] && "$py" -c "import xlwt" 2>/dev/null; then XLWT_PY=$py; fi
done
if [ -n "$XLWT_PY" ]; then
  check "an .xls of the demo roster written (xlwt)" "$XLWT_PY" -c '
import csv, sys, xlwt
rows = list(csv.reader(open(sys.argv[1], encoding="gb18030")))
wb = xlwt.Workbook(encoding="utf-8")
wb.add_sheet("说明").write(0, 0, "填表说明")
ws = wb.add_sheet("花名册")
ws.write(0, 0, "2026年网格员花名册")
for r, row in enumerate(rows):
    for c, v in enumerate(row):
        ws.write(r + 1, c, v)
h = rows[0]
n = len(rows) + 1
new = dict(zip(h, rows[1]))
for c, k in enumerate(h):
    v = new[k]
    if "姓名" in k: v = "数字电话"
    if "身份证" in k: v = ""
    if "手机" in k or "电话" in k: v = 13800001111.0
    ws.write(n, c, v)
for c, k in enumerate(h):
    v = dict(zip(h, rows[2]))[k]
    if "姓名" in k: v = "数字身份证"
    if "身份证" in k: v = 150621190009078195.0
    ws.write(n + 1, c, v)
wb.save(sys.argv[2])
' "$R" "$WORK/roster.xls"
  expect_status 0 "import the .xls roster (sheet 花名册)" "$CLI" people "$D" "$WORK/roster.xls" --sheet 花名册 --json
  check "everyone updated in place; the number-typed phone kept, the number-typed ID number refused by its row" jq_ '
assert d["updated"] == 797 and d["imported"] == 1 and d["rejected"] == 1, d
p = d["problems"]
assert len(p) == 1 and p[0]["row"] == 801 and p[0]["rejected"] and "ID" in p[0]["reason"], p'
  check "the phone of 11 digits stored whole" "$PYTHON" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("SELECT phone FROM people WHERE name = \"数字电话\"").fetchone() == ("13800001111",)
' "$D"
  expect_status 1 "an .xls sheet that is not there" "$CLI" people "$D" "$WORK/roster.xls" --sheet 名单
  one_error_line "$WORK/roster.xls"
  check "the sheets named" grep -q "花名册" "$WORK/stderr"
  printf 'not a workbook' >"$WORK/broken.xls"
  expect_status 1 "a broken .xls" "$CLI" people "$D" "$WORK/broken.xls"
  one_error_line "$WORK/broken.xls"
  "$PYTHON" -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("DELETE FROM people WHERE name = \"数字电话\""); db.commit()' "$D"
fi

# Assign the demo's full-time workers to the grids of their communities.
expect_status 0 "split the demo district" "$CLI" split "$D" --target 300
expect_status 0 "assign the full-time workers" "$CLI" assign "$D" --json
check "every grid has a full-time worker from its own community; big grids two" "$PYTHON" -c '
import json, sqlite3, sys
d = json.load(open(sys.argv[2]))
db = sqlite3.connect(sys.argv[1])
grids = db.execute("SELECT count(*) FROM grids").fetchone()[0]
assert d["grids_without_worker"] == [] and d["assigned"]["fulltime"] >= grids, d
assert d["assigned"]["party"] > 0 and d["assigned"]["instructor"] == 11, d
assert d["no_home"] == d["unplaced"]["building_head"] == 78, d
wrong = db.execute("SELECT count(*) FROM assignments a JOIN people p ON p.id = a.person_id"
                   " JOIN grids g ON g.code = a.grid_code WHERE p.area_code <> g.area_code").fetchone()[0]
assert wrong == 0, wrong
per = dict(db.execute("SELECT grid_code, count(*) FROM assignments WHERE role = \"fulltime\" GROUP BY grid_code").fetchall())
big = [c for c, h in db.execute("SELECT code, households FROM grids") if h > 450]
assert all(per[c] == 1 for c in per if c not in big), per
' "$D" "$WORK/stdout"
check "party contacts: units of the member's own grid, no unit over its households, no member over their reach" "$PYTHON" -c '
import json, sqlite3, sys
d = json.load(open(sys.argv[2]))
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT c.person_id, c.grid_code, c.unit_code, c.households, a.grid_code, gu.grid_code, p.capacity"
                  " FROM party_contacts c JOIN assignments a ON a.person_id = c.person_id AND a.role = \"party\""
                  " JOIN people p ON p.id = c.person_id LEFT JOIN grid_units gu ON gu.unit_code = c.unit_code").fetchall()
assert len(rows) > 0 and sum(r[3] for r in rows) == d["contact_households"], d["contact_households"]
for person, grid, unit, n, assigned, unit_grid, cap in rows:
    assert grid == assigned == unit_grid and unit is not None and n > 0, (person, grid, unit, assigned, unit_grid)
per_unit, per_member = {}, {}
for person, grid, unit, n, _, _, cap in rows:
    per_unit[unit] = per_unit.get(unit, 0) + n
    per_member[person] = (per_member.get(person, (0, cap))[0] + n, cap)
hh = dict(db.execute("SELECT code, households FROM units").fetchall())
assert all(per_unit[u] <= hh[u] for u in per_unit)
assert all(n <= (cap if cap is not None and cap >= 0 else 5) for n, cap in per_member.values())
# As many households as the members reach: on every grid, the least of the two.
reach, held = {}, dict(db.execute("SELECT code, households FROM grids").fetchall())
for g, cap in db.execute("SELECT a.grid_code, p.capacity FROM assignments a JOIN people p ON p.id = a.person_id WHERE a.role = \"party\""):
    reach[g] = reach.get(g, 0) + (cap if cap is not None and cap >= 0 else 5)
linked = {}
for _, grid, _, n, _, _, _ in rows:
    linked[grid] = linked.get(grid, 0) + n
for g in reach:
    assert linked.get(g, 0) == min(reach[g], held[g]), (g, linked.get(g), reach[g], held[g])
' "$D" "$WORK/stdout"
expect_status 0 "assign again" "$CLI" assign "$D"
check "the same people again (automatic assignments replaced, not added)" "$PYTHON" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = db.execute("SELECT count(*) FROM assignments").fetchone()[0]
d = db.execute("SELECT count(DISTINCT person_id) FROM assignments").fetchone()[0]
assert n == d, (n, d)
' "$D"

# By hand: set, lock, unset; all or none; the automatic run fills around them.
q () { "$PYTHON" -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); print(db.execute(sys.argv[2]).fetchone()[0])" "$D" "$1"; }
P1=$(q "SELECT id FROM people WHERE role = 'fulltime' ORDER BY id LIMIT 1")
IDN1=$(q "SELECT id_number FROM people WHERE id = '$P1'")
OTHER=$(q "SELECT g.code FROM grids g JOIN people p ON p.area_code = g.area_code WHERE p.id = '$P1' AND g.code NOT IN (SELECT grid_code FROM assignments WHERE person_id = '$P1') ORDER BY g.code DESC LIMIT 1")
P2=$(q "SELECT id FROM people WHERE role = 'party' ORDER BY id LIMIT 1")
G2=$(q "SELECT grid_code FROM assignments WHERE person_id = '$P2'")
P3=$(q "SELECT id FROM people WHERE role = 'instructor' ORDER BY id LIMIT 1")
expect_status 0 "set a worker by hand (by ID number), lock a party member, take an instructor off" \
  "$CLI" assign "$D" --set "$IDN1=$OTHER" --lock "$P2" --unset "$P3"
check "the hand edits stored" "$PYTHON" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT grid_code, source, locked FROM assignments WHERE person_id = ?", (sys.argv[2],)).fetchall()
assert rows == [(sys.argv[3], "manual", 0)], rows
assert db.execute("SELECT locked FROM assignments WHERE person_id = ?", (sys.argv[4],)).fetchall() == [(1,)]
assert db.execute("SELECT count(*) FROM assignments WHERE person_id = ?", (sys.argv[5],)).fetchone()[0] == 0
' "$D" "$P1" "$OTHER" "$P2" "$P3"
expect_status 0 "assign around them" "$CLI" assign "$D" --json
check "manual and locked assignments kept by the automatic run" "$PYTHON" -c '
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
d = json.load(open(sys.argv[6]))
assert d["kept"]["fulltime"] == 1 and d["kept"]["party"] == 1, d
assert db.execute("SELECT grid_code, source FROM assignments WHERE person_id = ?", (sys.argv[2],)).fetchall() == [(sys.argv[3], "manual")]
assert db.execute("SELECT grid_code, locked FROM assignments WHERE person_id = ?", (sys.argv[4],)).fetchall() == [(sys.argv[5], 1)]
' "$D" "$P1" "$OTHER" "$P2" "$G2" "$WORK/stdout"
BEFORE=$(q "SELECT group_concat(person_id || grid_code || source || locked) FROM (SELECT * FROM assignments ORDER BY person_id, grid_code)")
expect_status 1 "a person not in the project: nothing written" "$CLI" assign "$D" --set "$P2=$G2" --unset P999999
one_error_line "$D"
expect_status 1 "an ID number not in the project" "$CLI" assign "$D" --unset 110101199003074514
one_error_line "$D"
check "the unknown ID number is not echoed" sh -c '! grep -q 110101199003074514 "$1"' - "$WORK/stderr"
expect_status 1 "a grid not in the project" "$CLI" assign "$D" --set "$P1=NOSUCHGRID"
one_error_line "$D"
expect_status 1 "--set without a grid" "$CLI" assign "$D" --set "$P1"
one_error_line "$D"
AFTER=$(q "SELECT group_concat(person_id || grid_code || source || locked) FROM (SELECT * FROM assignments ORDER BY person_id, grid_code)")
check "the failed edits left the assignments as they were" sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' - "$BEFORE" "$AFTER"

# The report's people and load, against the project itself.
expect_status 0 "report with people" "$CLI" report "$D" --json
check "people and load as stored" "$PYTHON" -c '
import json, sqlite3, sys
d = json.load(open(sys.argv[2]))
db = sqlite3.connect(sys.argv[1])
p, l = d["people"], d["load"]
assert p["total"] == 797 and p["by_role"]["fulltime"] == 77 and p["by_role"]["party"] == 545, p
un = db.execute("SELECT count(*) FROM people WHERE id NOT IN (SELECT person_id FROM assignments)").fetchone()[0]
assert p["unassigned"] == un > 0, (p, un)
hh = dict(db.execute("SELECT code, households FROM grids").fetchall())
w = dict(db.execute("SELECT grid_code, count(*) FROM assignments WHERE role = \"fulltime\" GROUP BY grid_code").fetchall())
assert l["grids_without_worker"] == sum(1 for g in hh if g not in w), l
per = sorted(hh[g] / w[g] for g in hh if g in w)
assert abs(l["households_per_worker"]["max"] - per[-1]) < 0.01, (l, per[-1])
linked = dict(db.execute("SELECT grid_code, sum(households) FROM party_contacts GROUP BY grid_code").fetchall())
want = sum(max(0, hh[g] - linked.get(g, 0)) for g in hh)
assert l["households_without_party_contact"] == want, (l, want)
' "$D" "$WORK/stdout"
expect_status 0 "report in words" "$CLI" report "$D"
check "the people and load said in sentences" sh -c 'grep -q "People: 797 on the roster" "$1" && grep -q "households per full-time worker" "$1"' - "$WORK/stdout"

# Exports: the list as a workbook in Chinese, people masked unless asked, grids and units.
X=$WORK/export
mkdir -p "$X"
expect_status 0 "export everything (zh_CN)" env LANGUAGE=zh_CN "$CLI" export "$D" --list "$X/网格分派表.xlsx" \
  --people "$X/people.csv" --grids "$X/grids.shp" --equivalency "$X/units.csv" --contacts "$X/党员联系户.xlsx"
check "the list: a sheet for all and one per community, Chinese headers, every grid once" "$PYTHON" -c '
import re, sqlite3, sys, zipfile
z = zipfile.ZipFile(sys.argv[2])
names = re.findall(r"<sheet name=\"([^\"]+)\"", z.read("xl/workbook.xml").decode())
db = sqlite3.connect(sys.argv[1])
communities = db.execute("SELECT count(DISTINCT area_code) FROM grids").fetchone()[0]
assert len(names) == 1 + communities and names[0] == "全部网格", names
strings = z.read("xl/sharedStrings.xml").decode()
for h in ("网格编码", "网格名称", "街道（乡镇）", "社区（村）", "户数", "专职网格员", "联系电话", "党员人数", "楼栋长"):
    assert h in strings, h
for code, in db.execute("SELECT code FROM grids"):
    assert strings.count(">" + code + "<") == 1, code
sheet = z.read("xl/worksheets/sheet1.xml").decode()
assert "<pane" in sheet and "autoFilter" in sheet, "frozen header and filter"
' "$D" "$X/网格分派表.xlsx"
check "contacts: a row per unit of every grid, Chinese headers, the households without contact as the report says" "$PYTHON" -c '
import json, re, sqlite3, subprocess, sys, zipfile
z = zipfile.ZipFile(sys.argv[2])
strings = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
for h in ("网格编码", "联系党员", "联系户数", "未联系户数"):
    assert h in strings, h
db = sqlite3.connect(sys.argv[1])
units = db.execute("SELECT count(*) FROM grid_units").fetchone()[0]
sheet = z.read("xl/worksheets/sheet1.xml").decode()
rows = re.findall(r"<row ", sheet)
assert len(rows) == 2 + units, (len(rows), units)
' "$D" "$X/党员联系户.xlsx"
check "people: BOM, every person, phones and ID numbers masked" "$PYTHON" -c '
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
raw = open(sys.argv[2], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf")
rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
assert len(rows) == 1 + db.execute("SELECT count(*) FROM people").fetchone()[0]
text = raw.decode("utf-8-sig")
for phone, idn in db.execute("SELECT phone, id_number FROM people"):
    assert phone is None or phone not in text, "a phone in full"
    assert idn is None or idn not in text, "an ID number in full"
assert "****" in text
' "$D" "$X/people.csv"
check "units to grids: every unit of a grid once" "$PYTHON" -c '
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))[1:]
assert len(rows) == db.execute("SELECT count(*) FROM grid_units").fetchone()[0] and len(rows) > 0
assert len({r[0] for r in rows}) == len(rows)
' "$D" "$X/units.csv"
check "the grids shapefile: .cpg and .prj beside it" sh -c '[ -s "$1/grids.cpg" ] && [ -s "$1/grids.prj" ] && [ -s "$1/grids.dbf" ]' - "$X"
expect_status 0 "our reader opens the exported grids" "$CLI" convert "$X/grids.shp" "$X/grids.geojson"
check "every grid, its community named in Chinese as in the project" "$PYTHON" -c '
import json, sqlite3, sys
d = json.load(open(sys.argv[2]))
db = sqlite3.connect(sys.argv[1])
grids = dict(db.execute("SELECT code, area_code FROM grids").fetchall())
names = dict(db.execute("SELECT code, name FROM areas").fetchall())
assert len(d["features"]) == len(grids) > 0
for f in d["features"]:
    p = f["properties"]
    assert grids[p["code"]] == p["area_code"] and p["community"] == names[p["area_code"]], p
    assert any("\u4e00" <= c <= "\u9fff" for c in p["community"]), p["community"]
    assert p["households"] > 0 and p["units"] > 0 and f["geometry"] is not None, p
' "$D" "$X/grids.geojson"
if command -v ogrinfo >/dev/null 2>&1; then
  expect_status 0 "GDAL reads the exported grids" ogrinfo -ro -q -al "$X/grids.shp"
  check "GDAL: Chinese text intact" grep -q "community (String) = .*社区" "$WORK/stdout"
fi
expect_status 0 "export with personal data" "$CLI" export "$D" --people "$X/full.csv" --with-personal-data
check "phones in full when asked, with a warning" "$PYTHON" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8-sig").read()
phone = db.execute("SELECT phone FROM people WHERE phone IS NOT NULL LIMIT 1").fetchone()[0]
assert phone in text
assert "personal data" in open(sys.argv[3]).read()
' "$D" "$X/full.csv" "$WORK/stderr"
expect_status 2 "a list of an unknown kind: nothing written" "$CLI" export "$D" --grids "$X/g2.shp" --list "$X/list.txt"
check "no file from the refused export" sh -c '[ ! -e "$1/g2.shp" ] && [ ! -e "$1/list.txt" ]' - "$X"
expect_status 1 "a list into a folder that is not there" "$CLI" export "$D" --list "$X/none/list.xlsx"
one_error_line "$X/none/list.xlsx"
expect_status 2 "nothing asked" "$CLI" export "$D"

# A roster with problems: title row above the header, English headers, UTF-8 with a BOM.
printf '\357\273\277Roster of Dec 2026\nname,role,id_number,phone,community\n张三,fulltime,150621190009078195,15800008642,150621003001\n,party,,,150621003001\n李四,guard,,,150621003001\n王五,party,,123,150621003001\n' >"$WORK/bad.csv"
expect_status 0 "a roster with problem rows" "$CLI" people "$D" "$WORK/bad.csv" --json --rejects "$WORK/rejects.csv"
check "problems named by their lines; the good rows imported" jq_ '
p = {x["row"]: x for x in d["problems"]}
assert d["rejected"] == 2 and d["flagged"] == 1, d
assert p[4]["rejected"] and p[5]["rejected"] and not p[6]["rejected"], p
assert "guard" in p[5]["reason"], p[5]'
check "the rejects file: BOM, the rows and their reasons" "$PYTHON" -c '
import csv, sys
text = open(sys.argv[1], encoding="utf-8-sig").read()
rows = list(csv.reader(text.splitlines()))
assert rows[0][0] == "row" and rows[0][1] == "name" and rows[0][-1] == "problem", rows[0]
assert [r[0] for r in rows[1:]] == ["4", "5", "6"], rows
assert open(sys.argv[1], "rb").read(3) == b"\xef\xbb\xbf"
' "$WORK/rejects.csv"
expect_status 0 "text mode names the lines" "$CLI" people "$D" "$WORK/bad.csv"
check "each problem line on stderr" sh -c 'grep -q "bad.csv: line 5: rejected:" "$1"' - "$WORK/stderr"
check "no phone or ID number in the messages" sh -c '! grep -qE "150621190009078195|12[3]" "$1"' - "$WORK/stderr"

# Errors: one line naming the file, nothing written.
printf 'a,b\n1,2\n' >"$WORK/noname.csv"
expect_status 1 "a file without a name column" "$CLI" people "$D" "$WORK/noname.csv"
one_error_line "$WORK/noname.csv"
expect_status 1 "a roster that is not there" "$CLI" people "$D" "$WORK/none.csv"
one_error_line "$WORK/none.csv"
expect_status 2 "no roster given" "$CLI" people "$D"
# A workbook whose XML breaks inside (as the fuzzer made them): our one line, no libxml2 noise.
"$PYTHON" - "$X/网格分派表.xlsx" "$WORK/broken.xlsx" <<'EOF'
import sys, zipfile
src, out = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], 'w')
for name in src.namelist():
    data = src.read(name)
    if name.endswith('sharedStrings.xml'):
        data = data.replace(b'</t>', b'</t3>', 1)
    out.writestr(name, data)
out.close()
EOF
expect_status 1 "a workbook with broken XML" "$CLI" people "$D" "$WORK/broken.xlsx"
one_error_line "$WORK/broken.xlsx"
no_leftovers "$WORK"
finish
