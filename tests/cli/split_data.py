#!/usr/bin/env python3
"""split_data.py: fixtures and checks for test-split.sh (python3 only, reusing fixtures.py).

Usage: split_data.py make OUTDIR
       split_data.py report JSON KEY=VALUE...    (KEY a dotted path; VALUE a number, or <N, >N)
       split_data.py assign CSV UNITS_DBF_ROWS PREFIXES_FILE
       split_data.py project PROJECT.gpkg CHECK...

The units are two villages of seeded, jittered quadrilaterals in lon/lat (WGS 84) that share
their corners exactly, so the units tile each village; households 20..80, a few units with none
and one unit far above the target.
"""
import csv
import json
import os
import random
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import POINT, POLYGON, WGS84_PRJ, write_dbf, write_shp, write_text  # noqa: E402

VILLAGES = [
    # code, name, columns, rows, x0 (lon), households seed
    ('150603001001', '青山村', 12, 8, 110.000),
    ('150603001002', '红旗嘎查', 10, 10, 110.024),
]
DX, DY, Y0 = 0.002, 0.0015, 40.0
TARGET = 300


def lattice(cols, rows, x0, rand):
    """Corners shared by neighbouring units; the outline stays straight."""
    pts = {}
    for i in range(cols + 1):
        for j in range(rows + 1):
            jx = rand.uniform(-0.3, 0.3) * DX if 0 < i < cols else 0.0
            jy = rand.uniform(-0.3, 0.3) * DY if 0 < j < rows else 0.0
            pts[i, j] = (round(x0 + i * DX + jx, 9), round(Y0 + j * DY + jy, 9))
    return pts


def make(outdir):
    rand = random.Random(20240601)
    shapes, rows = [], []
    outlines = []
    for code, name, cols, nrows, x0 in VILLAGES:
        pts = lattice(cols, nrows, x0, rand)
        for i in range(cols):
            for j in range(nrows):
                # Clockwise, as shapefiles want outer rings.
                ring = [pts[i, j], pts[i, j + 1], pts[i + 1, j + 1], pts[i + 1, j], pts[i, j]]
                shapes.append([ring])
                hh = rand.randint(20, 80)
                if rand.random() < 0.04:
                    hh = 0
                rows.append(['U%04d' % len(rows), code, '%s%d组' % (name, len(rows)), str(hh)])
        x1 = x0 + cols * DX
        y1 = Y0 + nrows * DY
        # The second village reaches a little beyond its units: a strip no unit covers.
        if code.endswith('2'):
            x1 += 0.0006
        outlines.append([[(x0, Y0), (x0, y1), (x1, y1), (x1, Y0), (x0, Y0)]])
    rows[150][3] = '2000'   # far above T: a grid of its own

    fields = [('CODE', 'C', 10, 0), ('VILLAGE', 'C', 12, 0), ('NAME', 'C', 40, 0), ('HH', 'N', 6, 0)]
    stem = os.path.join(outdir, 'units')
    write_shp(stem, POLYGON, shapes)
    write_dbf(stem, fields, rows, 'gbk')
    write_text(stem + '.cpg', 'GBK')
    write_text(stem + '.prj', WGS84_PRJ)

    stem = os.path.join(outdir, 'villages')
    write_shp(stem, POLYGON, outlines)
    write_dbf(stem, [('CODE', 'C', 12, 0), ('NAME', 'C', 30, 0)],
              [(v[0], v[1]) for v in VILLAGES], 'gbk')
    write_text(stem + '.cpg', 'GBK')
    write_text(stem + '.prj', WGS84_PRJ)

    # Broken inputs: a negative household count, one that is not a number, and no polygons.
    for name, bad in (('negative', '-3'), ('text', 'many')):
        stem = os.path.join(outdir, name)
        write_shp(stem, POLYGON, shapes[:4])
        bad_rows = [list(r) for r in rows[:4]]
        bad_rows[2][3] = bad
        write_dbf(stem, [fields[0], fields[1], fields[2], ('HH', 'C', 6, 0)], bad_rows, 'gbk')
        write_text(stem + '.prj', WGS84_PRJ)

    # No records at all, and records without geometry.
    stem = os.path.join(outdir, 'empty')
    write_shp(stem, POLYGON, [])
    write_dbf(stem, [fields[3]], [], 'ascii')
    stem = os.path.join(outdir, 'nulls')
    write_shp(stem, POLYGON, [None, None])
    write_dbf(stem, [fields[3]], [('3',), ('4',)], 'ascii')

    # Household points: three dense spots and a thin spread.
    stem = os.path.join(outdir, 'points')
    pts = []
    for k in range(1500):
        if k % 3 == 0:
            pts.append((rand.uniform(110.0, 110.024), rand.uniform(Y0, Y0 + 8 * DY)))
        else:
            cx, cy = [(110.005, 40.004), (110.015, 40.009), (110.02, 40.003)][k % 3 - 1 + (k % 2)]
            pts.append((cx + rand.gauss(0, 0.002), cy + rand.gauss(0, 0.0015)))
    write_shp(stem, POINT, pts)
    write_dbf(stem, [('N', 'N', 3, 0)], [('1',) for _ in pts], 'ascii')
    write_text(stem + '.prj', WGS84_PRJ)

    with open(os.path.join(outdir, 'units.json'), 'w') as f:
        json.dump({'households': [int(r[3]) for r in rows], 'village': [r[1] for r in rows],
                   'code': [r[0] for r in rows]}, f)


def lookup(doc, path):
    for key in path.split('.'):
        doc = doc[key]
    return doc


def check_report(path, conditions):
    with open(path) as f:
        doc = json.load(f)
    ok = True
    for cond in conditions:
        key, want = cond.split('=', 1)
        got = lookup(doc, key)
        if want.startswith('<'):
            good = got < float(want[1:])
        elif want.startswith('>'):
            good = got > float(want[1:])
        else:
            good = got == json.loads(want)
        if not good:
            print('# %s: %s is %r, wanted %s' % (path, key, got, want))
            ok = False
    return ok


def check_assign(path, units_json, with_parent):
    """Header unit,grid; every record once, in order; codes are the village code (or 12 zeros)
    and three digits; each village's grids hold its own units only."""
    with open(units_json) as f:
        units = json.load(f)
    with open(path, newline='') as f:
        rows = list(csv.reader(f))
    if rows[0] != ['unit', 'grid']:
        print('# header is %r' % rows[0])
        return False
    rows = rows[1:]
    if [int(r[0]) for r in rows] != list(range(len(units['households']))):
        print('# units are not each record once, in order')
        return False
    totals = {}
    for unit, grid in rows:
        prefix = units['village'][int(unit)] if with_parent else '000000000000'
        if not (grid.startswith(prefix) and len(grid) == len(prefix) + 3 and grid[-3:].isdigit()):
            print('# unit %s has grid %r' % (unit, grid))
            return False
        totals[grid] = totals.get(grid, 0) + units['households'][int(unit)]
    if sum(totals.values()) != sum(units['households']):
        print('# households do not add up')
        return False
    within = sum(1 for t in totals.values() if abs(t - TARGET) <= 0.15 * TARGET)
    # The oversize unit's grid and a rounding leftover may miss; nearly all others may not.
    if within < len(totals) - 3:
        print('# only %d of %d grids within ±15%%: %r' % (within, len(totals), sorted(totals.values())))
        return False
    return True


def check_project(path, checks):
    db = sqlite3.connect(path)
    ok = True
    for check in checks:
        name, _, arg = check.partition(':')
        if name == 'grids':           # grids:AREA=N  (N grids in AREA, or >N)
            area, want = arg.split('=')
            got = db.execute('SELECT count(*) FROM grids WHERE area_code = ?', (area,)).fetchone()[0]
            good = got > int(want[1:]) if want.startswith('>') else got == int(want)
        elif name == 'members':       # every unit of the project in exactly one grid
            units = db.execute('SELECT count(*) FROM units').fetchone()[0]
            got = db.execute('SELECT count(DISTINCT unit_code) FROM grid_units').fetchone()[0]
            good = got == units
        elif name == 'codes':         # codes = area code + 3 digits; names "…第N网格"
            bad = db.execute("SELECT code, name FROM grids WHERE length(code) <> 15"
                             " OR substr(code, 1, 12) <> area_code OR name IS NULL").fetchall()
            good = not bad
            got = bad
        elif name == 'households':    # grid households add up to their units'
            got = db.execute('SELECT g.code, g.households, sum(u.households) FROM grids g'
                             ' JOIN grid_units gu ON gu.grid_code = g.code'
                             ' JOIN units u ON u.code = gu.unit_code GROUP BY g.code'
                             ' HAVING g.households <> sum(u.households)').fetchall()
            good = not got
        elif name == 'dump':          # dump:FILE  the grids (code, households, geometry) to compare
            with open(arg, 'w') as f:
                for row in db.execute('SELECT code, households, hex(geom) FROM grids ORDER BY code'):
                    f.write('%s %s %s\n' % row)
            continue
        elif name == 'lock':          # lock:CODE  mark a grid locked
            db.execute('UPDATE grids SET locked = 1 WHERE code = ?', (arg,))
            db.commit()
            continue
        elif name == 'locked':        # locked:CODE  the grid is there, still locked
            got = db.execute('SELECT locked FROM grids WHERE code = ?', (arg,)).fetchall()
            good = got == [(1,)]
        else:
            print('# unknown check %s' % name)
            return False
        if not good:
            print('# %s: %s: got %r' % (path, check, got))
            ok = False
    return ok


def main():
    what = sys.argv[1]
    if what == 'make':
        os.makedirs(sys.argv[2], exist_ok=True)
        make(sys.argv[2])
        return 0
    if what == 'report':
        return 0 if check_report(sys.argv[2], sys.argv[3:]) else 1
    if what == 'assign':
        return 0 if check_assign(sys.argv[2], sys.argv[3], sys.argv[4] == 'parent') else 1
    if what == 'project':
        return 0 if check_project(sys.argv[2], sys.argv[3:]) else 1
    print('unknown command %s' % what)
    return 2


if __name__ == '__main__':
    sys.exit(main())
