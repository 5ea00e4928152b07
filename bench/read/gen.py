#!/usr/bin/env python3
"""gen.py: a seeded shapefile of N planning units (polygons) for the reading benchmark.

Usage: gen.py OUT.shp [N] [SEED]     (defaults: 100000 polygons, seed 2024)

Units lie on a jittered lattice around Ordos in CGCS2000 lon/lat (EPSG:4490 .prj), each a
star-shaped ring of 8 to 40 vertices; about 5% have a hole (a courtyard) and about 3% are in
two parts. The DBF is GBK with a .cpg, as Chinese offices hand files over: CODE (15-digit grid
code), NAME (Chinese), HH (households), AREA (m², 3 decimals), DRAWN (date), LOCKED (logical).
The same N and SEED always give the same bytes.
"""
import array
import math
import os
import random
import struct
import sys

CGCS2000_PRJ = ('GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",'
                'SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
                'UNIT["Degree",0.0174532925199433]]')
STREETS = ['青春', '康和', '哈巴格希', '滨河', '兴胜', '东胜', '铜川', '罕台', '泊江海子', '树林召']
KINDS = ['社区', '村', '嘎查']
FIELDS = [('CODE', 'C', 15, 0), ('NAME', 'C', 60, 0), ('HH', 'N', 6, 0),
          ('AREA', 'N', 16, 3), ('DRAWN', 'D', 8, 0), ('LOCKED', 'L', 1, 0)]


def star_ring(rng, cx, cy, radius, clockwise):
    n = rng.randint(8, 40)
    pts = []
    for k in range(n):
        a = 2 * math.pi * k / n
        r = radius * rng.uniform(0.6, 1.0)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a) * 0.8))
    if clockwise:
        pts.reverse()
    pts.append(pts[0])
    return pts


def unit_shape(rng, i, cols, cell):
    cx = 109.5 + (i % cols) * cell + rng.uniform(-0.1, 0.1) * cell
    cy = 39.3 + (i // cols) * cell + rng.uniform(-0.1, 0.1) * cell
    radius = cell * 0.45
    roll = rng.random()
    if roll < 0.05:      # a courtyard
        return [star_ring(rng, cx, cy, radius, True), star_ring(rng, cx, cy, radius * 0.3, False)]
    if roll < 0.08:      # two buildings
        return [star_ring(rng, cx - radius / 2, cy, radius / 2.2, True),
                star_ring(rng, cx + radius / 2, cy, radius / 2.2, True)]
    return [star_ring(rng, cx, cy, radius, True)]


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2024)
    stem = out[:-4] if out.lower().endswith('.shp') else out
    os.makedirs(os.path.dirname(os.path.abspath(stem)), exist_ok=True)
    cols = int(math.ceil(math.sqrt(n)))
    cell = 0.6 / cols

    shp = bytearray()
    shx = bytearray()
    dbf_rows = []
    box = [math.inf, math.inf, -math.inf, -math.inf]
    offset = 50
    for i in range(n):
        parts = unit_shape(rng, i, cols, cell)
        xy = array.array('d', [c for part in parts for p in part for c in p])
        xs, ys = xy[0::2], xy[1::2]
        b = (min(xs), min(ys), max(xs), max(ys))
        box = [min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])]
        starts, s = [], 0
        for part in parts:
            starts.append(s)
            s += len(part)
        if sys.byteorder != 'little':
            xy.byteswap()
        content = (struct.pack('<i4dii', 5, *b, len(parts), len(xy) // 2)
                   + struct.pack('<%di' % len(starts), *starts) + xy.tobytes())
        shp += struct.pack('>ii', i + 1, len(content) // 2) + content
        shx += struct.pack('>ii', offset, len(content) // 2)
        offset += 4 + len(content) // 2

        street = rng.choice(STREETS) + rng.choice(KINDS)
        hh = rng.randint(0, 1200)
        date = '%04d%02d%02d' % (rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28))
        dbf_rows.append(('1506030%05d%03d' % (i // 50, i % 50 + 1),
                         '%s第%d网格' % (street, i % 50 + 1), str(hh),
                         '%.3f' % rng.uniform(500, 250000), date, rng.choice('TF')))

    def header(length_bytes):
        return (struct.pack('>7i', 9994, 0, 0, 0, 0, 0, length_bytes // 2)
                + struct.pack('<ii', 1000, 5) + struct.pack('<8d', *box, 0, 0, 0, 0))

    with open(stem + '.shp', 'wb') as f:
        f.write(header(100 + len(shp)) + shp)
    with open(stem + '.shx', 'wb') as f:
        f.write(header(100 + len(shx)) + shx)

    record_len = 1 + sum(f[2] for f in FIELDS)
    dbf = bytearray(struct.pack('<BBBBIHH', 3, 124, 1, 1, n, 32 + 32 * len(FIELDS) + 1, record_len))
    dbf += b'\0' * 17 + bytes([0x4D]) + b'\0\0'    # LDID 0x4D: GBK
    for name, ftype, width, decimals in FIELDS:
        dbf += name.encode('ascii').ljust(11, b'\0') + ftype.encode() + b'\0' * 4
        dbf += bytes([width, decimals]) + b'\0' * 14
    dbf += b'\r'
    for row in dbf_rows:
        dbf += b' '
        for (_, ftype, width, _), value in zip(FIELDS, row):
            raw = value.encode('gbk')
            dbf += (raw.rjust(width) if ftype == 'N' else raw.ljust(width))[:width]
    dbf += b'\x1a'
    with open(stem + '.dbf', 'wb') as f:
        f.write(dbf)
    with open(stem + '.cpg', 'w') as f:
        f.write('GBK')
    with open(stem + '.prj', 'w') as f:
        f.write(CGCS2000_PRJ)
    print('%s: %d polygons, %.1f MB' % (stem + '.shp', n, os.path.getsize(stem + '.shp') / 1e6))


if __name__ == '__main__':
    main()
