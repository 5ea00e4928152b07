#!/usr/bin/env python3
"""sites.py: exclusive-site shapefiles for test-import.sh, drawn from a project's own units.

Usage: sites.py PROJECT.gpkg PRJ OUTDIR

Writes, in the project's lon/lat (PRJ copied beside each):
  cover.shp   one site exactly over a unit of the demo (its households go to the site) and one
              small square inside another village with 户数 = 120 (the file's count is used);
  points.shp  a point: not a polygon;
  astray.shp  a square far from every area.
Prints the unit covered, its area and households, and the second site's area, one per line."""
import os
import sqlite3
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import POINT, POLYGON, write_dbf, write_shp  # noqa: E402


def gpkg_rings(blob):
    """The rings of the first polygon of a GeoPackage MultiPolygon/Polygon blob."""
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    wkb = blob[8 + envelope:]

    def read_polygon(data, pos):
        order = '<' if data[pos] == 1 else '>'
        kind, n = struct.unpack_from(order + 'II', data, pos + 1)
        assert kind % 1000 == 3, kind
        pos += 9
        rings = []
        for _ in range(n):
            (count,) = struct.unpack_from(order + 'I', data, pos)
            pos += 4
            pts = [struct.unpack_from(order + 'dd', data, pos + 16 * i) for i in range(count)]
            pos += 16 * count
            rings.append(pts)
        return rings

    order = '<' if wkb[0] == 1 else '>'
    (kind,) = struct.unpack_from(order + 'I', wkb, 1)
    if kind % 1000 == 6:
        return read_polygon(wkb, 9)
    return read_polygon(wkb, 0)


def clockwise(ring):
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
    return ring if area < 0 else list(reversed(ring))


def main():
    project, prj, out = sys.argv[1], sys.argv[2], sys.argv[3]
    db = sqlite3.connect(project)
    code, area, households, blob = db.execute(
        "SELECT code, area_code, households, geom FROM units WHERE households > 0 AND geom IS NOT NULL"
        " ORDER BY households DESC LIMIT 1").fetchone()
    outer = clockwise(gpkg_rings(blob)[0])
    (other,) = db.execute("SELECT code FROM areas WHERE code <> ? AND code IN (SELECT area_code FROM units)"
                          " ORDER BY code LIMIT 1", (area,)).fetchone()
    # A small square around a point inside the other village: the middle of one of its units.
    ublob = db.execute("SELECT geom FROM units WHERE area_code = ? ORDER BY households LIMIT 1", (other,)).fetchone()[0]
    uring = gpkg_rings(ublob)[0]
    cx = sum(p[0] for p in uring[:-1]) / (len(uring) - 1)
    cy = sum(p[1] for p in uring[:-1]) / (len(uring) - 1)
    d = 0.0002
    square = [(cx - d, cy - d), (cx - d, cy + d), (cx + d, cy + d), (cx + d, cy - d), (cx - d, cy - d)]
    fields = [('名称', 'C', 40, 0), ('类型', 'C', 20, 0), ('户数', 'N', 6, 0)]
    write_shp(os.path.join(out, 'cover'), POLYGON, [[outer], [square]])
    write_dbf(os.path.join(out, 'cover'), fields, [('第一中学', '学校', None), ('物流园', '园区', '120')], 'utf-8')
    write_shp(os.path.join(out, 'points'), POINT, [(cx, cy)])
    write_dbf(os.path.join(out, 'points'), fields, [('诊所', '医院', None)], 'utf-8')
    far = [(cx + 5, cy + 5), (cx + 5, cy + 5.01), (cx + 5.01, cy + 5.01), (cx + 5.01, cy + 5), (cx + 5, cy + 5)]
    write_shp(os.path.join(out, 'astray'), POLYGON, [[far]])
    write_dbf(os.path.join(out, 'astray'), fields, [('远方工厂', '企业', None)], 'utf-8')
    for stem in ('cover', 'points', 'astray'):
        with open(os.path.join(out, stem + '.prj'), 'w') as f:
            f.write(open(prj).read())
        with open(os.path.join(out, stem + '.cpg'), 'w') as f:
            f.write('UTF-8')
    print(code)
    print(area)
    print(households)
    print(other)


if __name__ == '__main__':
    main()
