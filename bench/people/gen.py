#!/usr/bin/env python3
"""gen.py: a seeded county for the people benchmark: areas, units and a roster.

Usage: gen.py DIR [COMMUNITIES] [SEED]     (defaults: 400 communities, seed 2024)

COMMUNITIES villages/communities in townships of 20, each a square of 10 × 10 square units
(compounds) of 50..100 households, so about 7,500 households and 25 grids of 300 per
community (10,000 grids for 400). The roster has per community 27 full-time workers (a couple
more than its grids), 200 party members, 20 building heads and 3 department instructors
(250 people, 100,000 for 400), homes inside their community, valid ID numbers (GB 11643) and
phones. Written: DIR/areas.shp (townships and communities: CODE, NAME, LEVEL, PARENT, HH),
DIR/units.shp (CODE, NAME, AREA, HH), DIR/roster.csv (UTF-8 with BOM, Chinese headers), in
CGCS2000 lon/lat. The same COMMUNITIES and SEED give the same bytes.
"""
import os
import random
import struct
import sys

CGCS2000_PRJ = ('GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",'
                'SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
                'UNIT["Degree",0.0174532925199433]]')
UNIT = 0.002          # a unit's side in degrees (about 170 × 220 m)
UNITS_SIDE = 10       # units per community side
TOWNSHIP = 20         # communities per township
SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'
GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰峰鑫波宇浩凯'
DEPARTMENTS = ['组织部', '民政局', '公安局', '卫健委', '人社局', '住建局']


def id_number(rng, region, taken):
    while True:
        number = new_id_number(rng, region)
        if number not in taken:
            taken.add(number)
            return number


def new_id_number(rng, region):
    body = '%s%04d%02d%02d%03d' % (region, rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28),
                                   rng.randint(1, 999))
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = '10X98765432'[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


def write_polygons(stem, rects, fields, rows):
    shp, shx, offset = bytearray(), bytearray(), 50
    box = [min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects)]
    for i, (x0, y0, x1, y1) in enumerate(rects):
        ring = [(x0, y0), (x0, y1), (x1, y1), (x1, y0), (x0, y0)]    # clockwise: an outer ring
        content = struct.pack('<i4dii', 5, x0, y0, x1, y1, 1, 5) + struct.pack('<i', 0)
        content += b''.join(struct.pack('<2d', *p) for p in ring)
        shp += struct.pack('>ii', i + 1, len(content) // 2) + content
        shx += struct.pack('>ii', offset, len(content) // 2)
        offset += 4 + len(content) // 2

    def header(length):
        return (struct.pack('>7i', 9994, 0, 0, 0, 0, 0, length // 2) + struct.pack('<ii', 1000, 5)
                + struct.pack('<8d', *box, 0, 0, 0, 0))
    with open(stem + '.shp', 'wb') as f:
        f.write(header(100 + len(shp)) + shp)
    with open(stem + '.shx', 'wb') as f:
        f.write(header(100 + len(shx)) + shx)
    record = 1 + sum(w for _, _, w in fields)
    dbf = bytearray(struct.pack('<BBBBIHH', 3, 126, 12, 6, len(rows), 32 + 32 * len(fields) + 1, record))
    dbf += b'\0' * 20
    for name, kind, width in fields:
        dbf += name.encode().ljust(11, b'\0') + kind.encode() + b'\0' * 4 + bytes([width, 0]) + b'\0' * 14
    dbf += b'\r'
    for row in rows:
        dbf += b' '
        for (_, kind, width), value in zip(fields, row):
            raw = str(value).encode('utf-8')
            dbf += (raw.rjust(width) if kind == 'N' else raw.ljust(width))[:width]
    dbf += b'\x1a'
    with open(stem + '.dbf', 'wb') as f:
        f.write(dbf)
    with open(stem + '.cpg', 'w') as f:
        f.write('UTF-8')
    with open(stem + '.prj', 'w') as f:
        f.write(CGCS2000_PRJ)


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2024)
    os.makedirs(out, exist_ok=True)
    cols = max(1, int(n ** 0.5))
    side = UNIT * UNITS_SIDE
    area_rects, area_rows, unit_rects, unit_rows = [], [], [], []
    roster = ['姓名,身份,身份证号,联系电话,社区代码,部门,经度,纬度']
    townships = {}
    taken = set()
    for c in range(n):
        t, k = c // TOWNSHIP, c % TOWNSHIP + 1
        tcode = '150621%03d000' % (t + 1)
        code = '150621%03d%03d' % (t + 1, k)
        x0, y0 = 109.0 + (c % cols) * side, 39.0 + (c // cols) * side
        hh_total = 0
        for u in range(UNITS_SIDE * UNITS_SIDE):
            ux, uy = x0 + (u % UNITS_SIDE) * UNIT, y0 + (u // UNITS_SIDE) * UNIT
            hh = rng.randint(50, 100)
            hh_total += hh
            unit_rects.append((ux, uy, ux + UNIT, uy + UNIT))
            unit_rows.append((code + '-%03d' % (u + 1), '第%d小区' % (u + 1), code, hh))
        area_rects.append((x0, y0, x0 + side, y0 + side))
        area_rows.append((code, '第%d社区' % (c + 1), 'village', tcode, hh_total))
        b = townships.setdefault(tcode, [x0, y0, x0 + side, y0 + side, 0])
        b[0], b[1] = min(b[0], x0), min(b[1], y0)
        b[2], b[3], b[4] = max(b[2], x0 + side), max(b[3], y0 + side), b[4] + hh_total
        for role, count in (('专职网格员', 27), ('党员', 200), ('楼栋长', 20), ('部门指导员', 3)):
            for _ in range(count):
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                dept = rng.choice(DEPARTMENTS) if role == '部门指导员' else ''
                roster.append('%s,%s,%s,1%d%09d,%s,%s,%.6f,%.6f' % (
                    name, role, id_number(rng, '150621', taken), rng.choice([3, 5, 8]), rng.randint(0, 999999999), code,
                    dept, x0 + rng.uniform(0.01, 0.99) * side, y0 + rng.uniform(0.01, 0.99) * side))
    for tcode, (x0, y0, x1, y1, hh) in sorted(townships.items()):
        area_rects.append((x0, y0, x1, y1))
        area_rows.append((tcode, '第%d街道' % int(tcode[6:9]), 'township', '', hh))
    fields_area = [('CODE', 'C', 12), ('NAME', 'C', 40), ('LEVEL', 'C', 10), ('PARENT', 'C', 12), ('HH', 'N', 9)]
    write_polygons(os.path.join(out, 'areas'), area_rects, fields_area, area_rows)
    write_polygons(os.path.join(out, 'units'), unit_rects,
                   [('CODE', 'C', 16), ('NAME', 'C', 30), ('AREA', 'C', 12), ('HH', 'N', 6)], unit_rows)
    with open(os.path.join(out, 'roster.csv'), 'w', encoding='utf-8-sig', newline='') as f:
        f.write('\r\n'.join(roster) + '\r\n')
    print('%s: %d communities, %d units, %d people' % (out, n, len(unit_rows), len(roster) - 1))


if __name__ == '__main__':
    main()
