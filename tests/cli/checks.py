#!/usr/bin/env python3
"""checks.py: what the CLI tests expect of gridplan-cli's outputs, one named check per function.

Usage: checks.py CHECK ARGS...   (exit 0 when it holds; the reason on stderr when it does not)
"""
import csv
import io
import json
import math
import sys

CONTRACT_KEYS = {'geometry_type', 'feature_count', 'fields', 'encoding', 'crs', 'bbox',
                 'null_geometries', 'invalid_geometries'}


class Failed(Exception):
    pass


def expect(cond, message):
    if not cond:
        raise Failed(message)


def equal(got, want, what):
    expect(got == want, '%s: got %r, expected %r' % (what, got, want))


def load(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# ---- the generated fixtures (see fixtures.py) ----

GRID_FIELDS = [{'name': '名称', 'type': 'string'}, {'name': 'HH', 'type': 'integer'},
               {'name': 'AREA', 'type': 'real'}, {'name': 'DRAWN', 'type': 'date'},
               {'name': 'LOCKED', 'type': 'logical'}]

GRID_PROPERTIES = [
    {'名称': '青山区第一网格', 'HH': 312, 'AREA': 1.25, 'DRAWN': '2024-02-29', 'LOCKED': True},
    {'名称': '无图形', 'HH': 0, 'AREA': None, 'DRAWN': None, 'LOCKED': False},
    {'名称': '达拉特旗"两块"', 'HH': -5, 'AREA': -0.5, 'DRAWN': '1999-12-31', 'LOCKED': None},
    {'名称': '', 'HH': None, 'AREA': 123456.789, 'DRAWN': '2024-01-01', 'LOCKED': True},
    {'名称': '蝴蝶', 'HH': 7, 'AREA': 0.0, 'DRAWN': None, 'LOCKED': False},
]


def square(x, y, w, h, clockwise=True):
    pts = [[x, y], [x, y + h], [x + w, y + h], [x + w, y], [x, y]]
    return pts if clockwise else pts[::-1]


GRID_GEOMETRIES = [
    {'type': 'Polygon', 'coordinates': [square(109.0, 40.0, 1.0, 1.0),
                                        square(109.25, 40.25, 0.5, 0.5, clockwise=False)]},
    None,
    {'type': 'MultiPolygon', 'coordinates': [[square(110.0, 40.0, 0.5, 0.5)],
                                             [square(111.0, 40.0, 0.5, 0.5)]]},
    {'type': 'Polygon', 'coordinates': [square(112.0, 41.0, 0.125, 0.25)]},
    {'type': 'Polygon', 'coordinates': [[[113.0, 40.0], [113.0, 41.0], [114.0, 40.0],
                                         [114.0, 41.0], [113.0, 40.0]]]},
]


def check_contract_keys(info):
    missing = CONTRACT_KEYS - set(info)
    expect(not missing, 'missing keys %s' % sorted(missing))
    expect(isinstance(info['warnings'], list), 'warnings is not a list')
    expect(isinstance(info['crs'], dict) and set(info['crs']) == {'name', 'epsg'},
           'crs is not {name, epsg}: %r' % (info['crs'],))
    expect(info['bbox'] is None or (len(info['bbox']) == 4 and all(map(is_number, info['bbox']))),
           'bbox is not null or 4 numbers: %r' % (info['bbox'],))
    for key in ('feature_count', 'null_geometries', 'invalid_geometries'):
        expect(isinstance(info[key], int) and info[key] >= 0, '%s: %r' % (key, info[key]))
    for field in info['fields']:
        expect(set(field) == {'name', 'type'} and field['type'] in
               ('string', 'integer', 'real', 'date', 'logical'), 'field %r' % (field,))


def info_grids(path, encoding='GBK'):
    info = load(path)
    check_contract_keys(info)
    equal(info['geometry_type'], 'Polygon', 'geometry_type')
    equal(info['feature_count'], 5, 'feature_count')
    equal(info['fields'], GRID_FIELDS, 'fields')
    equal(info['encoding'], encoding, 'encoding')
    equal(info['crs']['epsg'], 4326, 'crs.epsg')
    expect(isinstance(info['crs']['name'], str) and '84' in info['crs']['name'],
           'crs.name %r' % info['crs']['name'])
    equal(info['bbox'], [109.0, 40.0, 114.0, 41.25], 'bbox')
    equal(info['null_geometries'], 1, 'null_geometries')
    equal(info['invalid_geometries'], 1, 'invalid_geometries')


def info_grids_gpkg(path):
    info = load(path)
    info_grids(path, encoding='UTF-8')
    equal(info['name'], 'grids', 'name')
    equal(info['tables'], [{'name': 'grids', 'data_type': 'features', 'rows': 5}], 'tables')
    equal(len(info['layers']), 1, 'number of layers')
    equal(info['layers'][0]['feature_count'], 5, 'layers[0].feature_count')


def info_households(path):
    info = load(path)
    check_contract_keys(info)
    equal(info['geometry_type'], 'Point', 'geometry_type')
    equal(info['feature_count'], 3, 'feature_count')
    equal(info['encoding'], 'UTF-8', 'encoding')
    equal(info['crs']['epsg'], 4326, 'crs.epsg (lon/lat recognised by range)')
    equal(info['bbox'], [116.25, 39.5, 116.75, 40.0], 'bbox')
    equal(info['null_geometries'], 0, 'null_geometries')
    equal(info['invalid_geometries'], 0, 'invalid_geometries')


def info_roads(path):
    info = load(path)
    check_contract_keys(info)
    equal(info['geometry_type'], 'PolyLineZ', 'geometry_type')
    equal(info['feature_count'], 2, 'feature_count')
    equal(info['fields'], [{'name': 'ROAD', 'type': 'string'}], 'fields')
    equal(info['crs']['epsg'], 32650, 'crs.epsg')
    equal(info['bbox'], [500000.0, 4420000.0, 505000.0, 4428757.0], 'bbox')


def info_plan(path):
    info = load(path)
    check_contract_keys(info)
    equal(info['crs'], {'name': None, 'epsg': None}, 'crs')
    equal(info['bbox'], [350000.0, 2500000.0, 350000.0, 2500000.0], 'bbox')


def geojson_grids(path):
    doc = load(path)
    equal(doc['type'], 'FeatureCollection', 'type')
    features = doc['features']
    equal(len(features), 5, 'number of features')
    for i, (feature, props, geometry) in enumerate(zip(features, GRID_PROPERTIES, GRID_GEOMETRIES)):
        equal(feature['type'], 'Feature', 'feature %d type' % i)
        equal(feature['geometry'], geometry, 'feature %d geometry' % i)
        got = feature['properties']
        # An empty DBF text field may read as "" or as null; everything else is exact.
        if props['名称'] == '' and got.get('名称') is None:
            got = dict(got, 名称='')
        equal(got, props, 'feature %d properties' % i)
        for key in ('HH', 'AREA'):
            expect(got[key] is None or is_number(got[key]), '%s is no number' % key)
        expect(got['LOCKED'] is None or isinstance(got['LOCKED'], bool), 'LOCKED is no boolean')


def geojson_count(path, count):
    doc = load(path)
    equal(doc['type'], 'FeatureCollection', 'type')
    equal(len(doc['features']), int(count), 'number of features')


def strip_crs(doc):
    """Members other than features (crs, name, bbox) may differ between writers' inputs."""
    return [(f['geometry'], f['properties']) for f in doc['features']]


def single(geometry):
    """A GeoPackage column holds one geometry type: where a layer mixes Polygon and MultiPolygon,
    gridplan-cli stores the polygons as MultiPolygons of one (conformant, as the MULTIPOLYGON column
    says), so comparisons through a GeoPackage see a one-member Multi* as its member."""
    if geometry and geometry['type'].startswith('Multi') and len(geometry['coordinates']) == 1:
        return {'type': geometry['type'][5:], 'coordinates': geometry['coordinates'][0]}
    return geometry


def same_geojson(a, b, through_gpkg=''):
    fa, fb = strip_crs(load(a)), strip_crs(load(b))
    equal(len(fb), len(fa), 'number of features')
    for i, ((ga, pa), (gb, pb)) in enumerate(zip(fa, fb)):
        if through_gpkg:
            ga, gb = single(ga), single(gb)
        equal(gb, ga, 'feature %d geometry' % i)
        equal(pb, pa, 'feature %d properties' % i)


def same_geojson_gdal(ours, theirs, *ignored):
    """Like same_geojson, but GDAL reads an empty DBF text field as null, and the IGNORED
    properties are typed differently by GDAL."""
    fa, fb = strip_crs(load(ours)), strip_crs(load(theirs))
    equal(len(fb), len(fa), 'number of features')
    for i, ((ga, pa), (gb, pb)) in enumerate(zip(fa, fb)):
        equal(gb, ga, 'feature %d geometry' % i)
        norm = lambda p: {k: (None if v == '' else v) for k, v in p.items() if k not in ignored}
        equal(norm(pb), norm(pa), 'feature %d properties' % i)


def geojson_roads_wgs84(path):
    doc = load(path)
    first = doc['features'][0]['geometry']
    equal(first['type'], 'LineString', 'geometry type')
    lon, lat = first['coordinates'][0][:2]
    expect(abs(lon - 117.0) < 1e-7 and abs(lat - 40.0) < 1e-7,
           'first vertex %r, expected 117°E 40°N' % (first['coordinates'][0],))
    if len(first['coordinates'][0]) > 2:
        equal(first['coordinates'][0][2], 10.0, 'z kept')
    second = doc['features'][1]['geometry']
    equal(second['type'], 'MultiLineString', 'second geometry type')
    for line in second['coordinates']:
        for x, y, *rest in line:
            expect(115 < x < 120 and 39 < y < 41, 'vertex %r not in lon/lat near Beijing' % ([x, y],))


def csv_grids(path):
    with open(path, 'rb') as f:
        raw = f.read()
    expect(raw.startswith(b'\xef\xbb\xbf'), 'no UTF-8 BOM')
    rows = list(csv.reader(io.StringIO(raw[3:].decode('utf-8'), newline='')))
    equal(len(rows), 6, 'rows (header + 5)')
    header = rows[0]
    for name in ('名称', 'HH', 'AREA', 'DRAWN', 'LOCKED'):
        expect(name in header, 'column %s missing from %r' % (name, header))
    col = {name: header.index(name) for name in header}
    equal([r[col['名称']] for r in rows[1:]], [p['名称'] for p in GRID_PROPERTIES], 'names')
    equal(rows[1][col['HH']], '312', 'HH of the first grid')
    equal(rows[1][col['DRAWN']], '2024-02-29', 'DRAWN of the first grid')
    wkt = [i for i, v in enumerate(rows[1]) if v.upper().startswith('POLYGON')]
    expect(wkt, 'no WKT column in %r' % (rows[1],))
    expect(rows[3][wkt[0]].upper().startswith('MULTIPOLYGON'), 'grid 3 is no MULTIPOLYGON')
    equal(rows[2][wkt[0]], '', 'the grid without geometry')


def text_file(path, *expected):
    with open(path, encoding='utf-8') as f:
        text = f.read().strip()
    expect(text.upper() in [e.upper() for e in expected], '%s holds %r' % (path, text))


# ---- ../shared/data ----

def info_contract(path):
    check_contract_keys(load(path))


def info_values(path, *pairs):
    """KEY=VALUE pairs, VALUE as JSON; KEY may be dotted (crs.epsg) or len(fields)."""
    info = load(path)
    check_contract_keys(info)
    for pair in pairs:
        key, value = pair.split('=', 1)
        want = json.loads(value)
        if key.startswith('len(') and key.endswith(')'):
            got = len(info[key[4:-1]])
        else:
            got = info
            for part in key.split('.'):
                got = got[part]
        if isinstance(want, list) and all(map(is_number, want)) and got is not None:
            expect(len(got) == len(want) and all(abs(g - w) <= 1e-6 for g, w in zip(got, want)),
                   '%s: got %r, expected %r' % (key, got, want))
        else:
            equal(got, want, key)


def date_as_iso(v):
    if isinstance(v, str) and len(v) == 8 and v.isdigit():
        return '%s-%s-%s' % (v[:4], v[4:6], v[6:])
    return v


def numbers_close(a, b):
    if is_number(a) and is_number(b):
        return a == b or math.isclose(a, b, rel_tol=1e-12)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(numbers_close(x, y) for x, y in zip(a, b))
    return a == b


def mbostock(expected_path, actual_path):
    """Geometry exactly, properties by value (mbostock keeps dates as YYYYMMDD strings)."""
    expected, actual = load(expected_path), load(actual_path)
    equal(len(actual['features']), len(expected['features']), 'number of features')
    for i, (e, a) in enumerate(zip(expected['features'], actual['features'])):
        equal(a['geometry'], e['geometry'], 'feature %d geometry' % i)
        want = {k: date_as_iso(v) for k, v in e['properties'].items()}
        got = a['properties']
        for k, v in want.items():
            expect(k in got, 'feature %d: property %s missing' % (i, k))
            expect(numbers_close(got[k], v), 'feature %d: %s = %r, expected %r' % (i, k, got[k], v))


def names_match(geojson_path, expected_path, key='name'):
    ours = [f['properties'][key] for f in load(geojson_path)['features']]
    theirs = [f['properties'][key] for f in load(expected_path)['features']]
    equal(ours, theirs, 'names')


def main():
    name, args = sys.argv[1], sys.argv[2:]
    try:
        globals()[name](*args)
    except Failed as e:
        print('# %s: %s' % (name, e), file=sys.stderr)
        sys.exit(1)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        print('# %s: %s: %s' % (name, type(e).__name__, e), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
