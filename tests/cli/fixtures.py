#!/usr/bin/env python3
"""fixtures.py: writes the small shapefiles the CLI tests run on (python3 + struct, no GIS library).

Usage: fixtures.py OUTDIR

Each fixture is small enough to check by hand; EXPECTED below is what the tests compare with.
"""
import os
import struct
import sys

WGS84_PRJ = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
             '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')
UTM50N_PRJ = ('PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",'
              'SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
              'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
              'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
              'PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],'
              'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')

NULL, POINT, POLYLINE, POLYGON, POLYLINEZ = 0, 1, 3, 5, 13


def ring(x, y, w, h, clockwise=True):
    """A closed rectangle ring; shapefiles want outer rings clockwise, holes counter-clockwise."""
    pts = [(x, y), (x, y + h), (x + w, y + h), (x + w, y), (x, y)]
    return pts if clockwise else list(reversed(pts))


def bbox_of(points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def shape_record(shape_type, parts):
    """Content of one record: parts is None (null shape), a point (x, y) or a list of rings/lines,
    each a list of (x, y) or (x, y, z)."""
    if parts is None:
        return struct.pack('<i', NULL), None
    if shape_type == POINT:
        return struct.pack('<idd', POINT, parts[0], parts[1]), (parts[0], parts[1], parts[0], parts[1])
    points = [p for part in parts for p in part]
    box = bbox_of(points)
    out = struct.pack('<i4dii', shape_type, *box, len(parts), len(points))
    start = 0
    for part in parts:
        out += struct.pack('<i', start)
        start += len(part)
    for p in points:
        out += struct.pack('<2d', p[0], p[1])
    if shape_type == POLYLINEZ:
        zs = [p[2] for p in points]
        out += struct.pack('<2d', min(zs), max(zs)) + struct.pack('<%dd' % len(zs), *zs)
        out += struct.pack('<2d', 0.0, 0.0) + struct.pack('<%dd' % len(zs), *([0.0] * len(zs)))
    return out, box


def write_shp(stem, shape_type, shapes):
    records = [shape_record(shape_type, s) for s in shapes]
    boxes = [b for _, b in records if b is not None]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
           max(b[2] for b in boxes), max(b[3] for b in boxes)) if boxes else (0, 0, 0, 0)
    body, index, offset = b'', b'', 50
    for number, (content, _) in enumerate(records, 1):
        body += struct.pack('>ii', number, len(content) // 2) + content
        index += struct.pack('>ii', offset, len(content) // 2)
        offset += 4 + len(content) // 2

    def header(length_bytes):
        return (struct.pack('>7i', 9994, 0, 0, 0, 0, 0, length_bytes // 2)
                + struct.pack('<ii', 1000, shape_type) + struct.pack('<8d', *box, 0, 0, 0, 0))

    with open(stem + '.shp', 'wb') as f:
        f.write(header(100 + len(body)) + body)
    with open(stem + '.shx', 'wb') as f:
        f.write(header(100 + len(index)) + index)


def write_dbf(stem, fields, rows, encoding, ldid=0):
    """fields: (name, type, width, decimals); rows: tuples of already formatted str (or None)."""
    header_len = 32 + 32 * len(fields) + 1
    record_len = 1 + sum(f[2] for f in fields)
    out = struct.pack('<BBBBIHH', 3, 124, 1, 1, len(rows), header_len, record_len)
    out += b'\0' * 17 + bytes([ldid]) + b'\0\0'
    for name, ftype, width, decimals in fields:
        raw = name.encode(encoding)
        out += raw.ljust(11, b'\0')[:11] + ftype.encode() + b'\0' * 4
        out += bytes([width, decimals]) + b'\0' * 14
    out += b'\r'
    for row in rows:
        out += b' '
        for (name, ftype, width, _), value in zip(fields, row):
            raw = (value if value is not None else '').encode(encoding)
            if ftype in 'NF':
                raw = raw.rjust(width, b' ')
            out += raw.ljust(width, b' ')[:width]
    out += b'\x1a'
    with open(stem + '.dbf', 'wb') as f:
        f.write(out)


def write_text(path, text):
    with open(path, 'w', encoding='ascii') as f:
        f.write(text)


def grids(outdir):
    """Five grids in lon/lat (WGS 84 .prj), GBK text with a .cpg, every DBF type, a Chinese field
    name, a hole, a two-part grid, a null shape and a bow-tie (invalid)."""
    stem = os.path.join(outdir, 'grids')
    shapes = [
        [ring(109.0, 40.0, 1.0, 1.0), ring(109.25, 40.25, 0.5, 0.5, clockwise=False)],
        None,
        [ring(110.0, 40.0, 0.5, 0.5), ring(111.0, 40.0, 0.5, 0.5)],
        [ring(112.0, 41.0, 0.125, 0.25)],
        [[(113.0, 40.0), (113.0, 41.0), (114.0, 40.0), (114.0, 41.0), (113.0, 40.0)]],
    ]
    write_shp(stem, POLYGON, shapes)
    fields = [('名称', 'C', 40, 0), ('HH', 'N', 9, 0), ('AREA', 'N', 12, 3),
              ('DRAWN', 'D', 8, 0), ('LOCKED', 'L', 1, 0)]
    rows = [
        ('青山区第一网格', '312', '1.250', '20240229', 'T'),
        ('无图形', '0', '', '', 'F'),
        ('达拉特旗"两块"', '-5', '-0.500', '19991231', '?'),
        ('', '', '123456.789', '20240101', 'Y'),
        ('蝴蝶', '7', '0.000', '', 'N'),
    ]
    write_dbf(stem, fields, rows, 'gbk')
    write_text(stem + '.cpg', 'GBK\r\n')
    write_text(stem + '.prj', WGS84_PRJ)


def households(outdir):
    """Points in UTF-8 without .cpg or .prj: the encoding is detected, lon/lat guessed by range."""
    stem = os.path.join(outdir, 'households')
    write_shp(stem, POINT, [(116.25, 39.5), (116.5, 39.75), (116.75, 40.0)])
    write_dbf(stem, [('NAME', 'C', 30, 0), ('N', 'N', 4, 0)],
              [('王家', '3'), ('李家', '4'), ('Zoë', '5')], 'utf-8')


def roads(outdir):
    """PolyLineZ in UTM 50N; the first vertex is 117°E 40°N."""
    stem = os.path.join(outdir, 'roads')
    shapes = [
        [[(500000.0, 4427757.218738, 10.0), (501000.0, 4428757.0, 12.5)]],
        [[(502000.0, 4420000.0, 1.0), (503000.0, 4421000.0, 2.0)],
         [(504000.0, 4422000.0, 3.0), (505000.0, 4423000.0, 4.0)]],
    ]
    write_shp(stem, POLYLINEZ, shapes)
    write_dbf(stem, [('ROAD', 'C', 20, 0)], [('长安街',), ('京藏高速',)], 'utf-8')
    write_text(stem + '.cpg', 'UTF-8')
    write_text(stem + '.prj', UTM50N_PRJ)


def plan(outdir):
    """Projected-looking coordinates and no .prj: the coordinate system is unknown."""
    stem = os.path.join(outdir, 'plan')
    write_shp(stem, POINT, [(350000.0, 2500000.0)])
    write_dbf(stem, [('ID', 'N', 4, 0)], [('1',)], 'ascii')


def many(outdir, n=3000):
    """Enough polygons that every output is far bigger than a few kilobytes."""
    stem = os.path.join(outdir, 'many')
    shapes = [[ring(100.0 + (i % 100) * 0.01, 30.0 + (i // 100) * 0.01, 0.009, 0.009)]
              for i in range(n)]
    write_shp(stem, POLYGON, shapes)
    write_dbf(stem, [('NAME', 'C', 20, 0), ('HH', 'N', 6, 0)],
              [('网格%d' % i, str(i)) for i in range(n)], 'utf-8')
    write_text(stem + '.cpg', 'UTF-8')
    write_text(stem + '.prj', WGS84_PRJ)


def broken(outdir):
    """Files no reader can trust: garbage, an empty file, a header that lies about the length."""
    with open(os.path.join(outdir, 'garbage.shp'), 'wb') as f:
        f.write(b'<html><body>Not Found</body></html>\n' * 10)
    open(os.path.join(outdir, 'empty-file.shp'), 'wb').close()
    with open(os.path.join(outdir, 'garbage.gpkg'), 'wb') as f:
        f.write(b'SQLite format 3\0' + b'\xff' * 4000)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    grids(outdir)
    households(outdir)
    roads(outdir)
    plan(outdir)
    many(outdir)
    broken(outdir)


if __name__ == '__main__':
    main()
