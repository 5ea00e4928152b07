#!/usr/bin/env python3
"""fixture.py: writes a small lon/lat village shapefile (GBK names, .cpg, .prj) for the display
test when data/demo is absent. Usage: fixture.py OUT.shp"""
import math
import struct
import sys

PRJ = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
       'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')
NAMES = ['幸福村', '和平村', '团结村', '新华村', '红旗村', '胜利村', '光明村', '东风村', '建设村']


def villages():
    """A 3 x 3 block of villages with wavy shared edges, about 2 km each, near 110.3E 40.3N."""
    step = 0.025
    def corner(i, j):
        return (110.3 + i * step + 0.004 * math.sin(3.1 * j + i),
                40.3 + j * step + 0.004 * math.cos(2.3 * i + j))
    for j in range(3):
        for i in range(3):
            ring = [corner(i, j), corner(i, j + 1), corner(i + 1, j + 1), corner(i + 1, j)]
            yield ring + [ring[0]]   # clockwise, closed


def write(stem):
    rings = list(villages())
    records, index, offset = b'', b'', 50
    for n, ring in enumerate(rings, 1):
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        content = struct.pack('<i4dii', 5, min(xs), min(ys), max(xs), max(ys), 1, len(ring))
        content += struct.pack('<i', 0) + b''.join(struct.pack('<2d', *p) for p in ring)
        records += struct.pack('>ii', n, len(content) // 2) + content
        index += struct.pack('>ii', offset, len(content) // 2)
        offset += 4 + len(content) // 2
    pts = [p for r in rings for p in r]
    box = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
    for ext, body in (('.shp', records), ('.shx', index)):
        head = struct.pack('>7i', 9994, 0, 0, 0, 0, 0, (100 + len(body)) // 2)
        head += struct.pack('<ii', 1000, 5) + struct.pack('<8d', *box, 0, 0, 0, 0)
        with open(stem + ext, 'wb') as f:
            f.write(head + body)

    fields = [('名称'.encode('gbk'), b'C', 40), (b'code', b'C', 12), ('户数'.encode('gbk'), b'N', 8)]
    rec_len = 1 + sum(w for _, _, w in fields)
    dbf = struct.pack('<BBBBIHH', 3, 124, 1, 1, len(rings), 32 + 32 * len(fields) + 1, rec_len)
    dbf += b'\0' * 17 + b'\x4d' + b'\0\0'
    for name, kind, width in fields:
        dbf += name.ljust(11, b'\0') + kind + b'\0' * 4 + bytes([width, 0]) + b'\0' * 14
    dbf += b'\r'
    for n, name in enumerate(NAMES):
        dbf += b' ' + name.encode('gbk').ljust(40) + ('150621102%03d' % (200 + n)).encode()
        dbf += str(300 + 37 * n).encode().rjust(8)
    dbf += b'\x1a'
    with open(stem + '.dbf', 'wb') as f:
        f.write(dbf)
    with open(stem + '.cpg', 'w') as f:
        f.write('GBK')
    with open(stem + '.prj', 'w') as f:
        f.write(PRJ)


if __name__ == '__main__':
    write(sys.argv[1][:-4] if sys.argv[1].endswith('.shp') else sys.argv[1])
