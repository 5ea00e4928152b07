#!/bin/sh
# test-convert.sh: `gridplan-cli convert` to each format, each output read back and compared.
. "$(dirname "$0")/lib.sh"
make_fixtures
OUT=$WORK/out
mkdir -p "$OUT"

# GeoJSON: typed properties, record order, null geometry, coordinates as stored.
expect_status 0 "convert .shp to .geojson" "$CLI" convert "$FX/grids.shp" "$OUT/grids.geojson"
check "no warnings for a clean file" test ! -s "$WORK/stderr"
pycheck geojson_grids "$OUT/grids.geojson"
expect_status 0 "convert .shp to .json" "$CLI" convert "$FX/grids.shp" "$OUT/grids.json"
pycheck same_geojson "$OUT/grids.geojson" "$OUT/grids.json"

# GeoPackage, read back by gridplan-cli itself: the same features, the same text.
expect_status 0 "convert .shp to .gpkg" "$CLI" convert "$FX/grids.shp" "$OUT/grids.gpkg"
expect_status 0 "convert .gpkg to .geojson" "$CLI" convert "$OUT/grids.gpkg" "$OUT/from-gpkg.geojson"
pycheck same_geojson "$OUT/grids.geojson" "$OUT/from-gpkg.geojson" through-gpkg
expect_status 0 "convert .gpkg to .gpkg" "$CLI" convert "$OUT/grids.gpkg" "$OUT/again.gpkg"
expect_status 0 "convert --layer" "$CLI" convert --layer GRIDS "$OUT/again.gpkg" "$OUT/again.geojson"
pycheck same_geojson "$OUT/grids.geojson" "$OUT/again.geojson" through-gpkg
expect_status 1 "convert --layer of a missing table" "$CLI" convert --layer nope "$OUT/again.gpkg" "$OUT/nope.geojson"
one_error_line "$OUT/again.gpkg"

# Shapefile: UTF-8 with a .cpg, the .prj kept, and it reads back the same.
expect_status 0 "convert .shp to .shp" "$CLI" convert "$FX/grids.shp" "$OUT/copy.shp"
for ext in shp shx dbf cpg prj; do
  check "copy.$ext written" test -s "$OUT/copy.$ext"
done
pycheck text_file "$OUT/copy.cpg" UTF-8 UTF8
expect_status 0 "info on the written shapefile" "$CLI" info --json "$OUT/copy.shp"
cp "$WORK/stdout" "$WORK/copy.json"
pycheck info_grids "$WORK/copy.json" UTF-8
expect_status 0 "convert the written shapefile to .geojson" "$CLI" convert "$OUT/copy.shp" "$OUT/copy.geojson"
pycheck same_geojson "$OUT/grids.geojson" "$OUT/copy.geojson"
expect_status 0 "convert .gpkg to .shp" "$CLI" convert "$OUT/grids.gpkg" "$OUT/from-gpkg.shp"
expect_status 0 "and back to .geojson" "$CLI" convert "$OUT/from-gpkg.shp" "$OUT/from-gpkg-shp.geojson"
pycheck same_geojson "$OUT/grids.geojson" "$OUT/from-gpkg-shp.geojson" through-gpkg

# CSV: UTF-8 with a BOM, a header, one row per record, geometry as WKT.
expect_status 0 "convert .shp to .csv" "$CLI" convert "$FX/grids.shp" "$OUT/grids.csv"
pycheck csv_grids "$OUT/grids.csv"

# Other geometry types and encodings.
expect_status 0 "points to .geojson" "$CLI" convert "$FX/households.shp" "$OUT/households.geojson"
pycheck geojson_count "$OUT/households.geojson" 3
expect_status 0 "lines with Z to .gpkg" "$CLI" convert "$FX/roads.shp" "$OUT/roads.gpkg"
expect_status 0 "info on it" "$CLI" info --json "$OUT/roads.gpkg"
cp "$WORK/stdout" "$WORK/roads.json"
pycheck info_values "$WORK/roads.json" 'geometry_type="PolyLineZ"' 'feature_count=2' 'crs.epsg=32650'
expect_status 0 "many polygons to .gpkg" "$CLI" convert "$FX/many.shp" "$OUT/many.gpkg"
expect_status 0 "and to .geojson" "$CLI" convert "$OUT/many.gpkg" "$OUT/many.geojson"
pycheck geojson_count "$OUT/many.geojson" 3000

# --to EPSG:4326 reprojects (lon/lat order); to the CRS the data is already in, nothing moves.
expect_status 0 "convert --to EPSG:4326 from UTM" "$CLI" convert --to EPSG:4326 "$FX/roads.shp" "$OUT/roads-wgs84.geojson"
pycheck geojson_roads_wgs84 "$OUT/roads-wgs84.geojson"
expect_status 0 "convert --to EPSG:4326 to a shapefile" "$CLI" convert --to EPSG:4326 "$FX/roads.shp" "$OUT/roads-wgs84.shp"
expect_status 0 "info on it" "$CLI" info --json "$OUT/roads-wgs84.shp"
cp "$WORK/stdout" "$WORK/roads-wgs84.json"
pycheck info_values "$WORK/roads-wgs84.json" 'crs.epsg=4326'
expect_status 0 "convert --to the same CRS" "$CLI" convert --to epsg:4326 "$FX/grids.shp" "$OUT/same.geojson"
pycheck same_geojson "$OUT/grids.geojson" "$OUT/same.geojson"

# Overwriting an existing output replaces it whole.
expect_status 0 "convert over an existing .gpkg" "$CLI" convert "$FX/households.shp" "$OUT/grids.gpkg"
expect_status 0 "info on it" "$CLI" info --json "$OUT/grids.gpkg"
cp "$WORK/stdout" "$WORK/replaced.json"
pycheck info_values "$WORK/replaced.json" 'feature_count=3' 'len(tables)=1'
no_leftovers "$OUT"

# Zipped shapefiles, as offices send them: GBK member names in folders, several to choose from.
SRC=${GP_SOURCE_DIR:-$HERE/../..}
Z=$WORK/zip
mkdir -p "$Z"
if [ -f "$SRC/data/demo/行政区划.shp" ]; then
  "$PYTHON" - "$SRC/data/demo" "$Z" <<'PYEOF'
import os, sys, zipfile
demo, out = sys.argv[1], sys.argv[2]
class GbkInfo(zipfile.ZipInfo):
    # Names stored as GBK bytes without the UTF-8 flag, as Chinese Windows zips them.
    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800
def add(z, name, arc):
    z.writestr(GbkInfo(arc), open(os.path.join(demo, name), "rb").read())
with zipfile.ZipFile(os.path.join(out, "areas.zip"), "w") as z:
    for f in sorted(os.listdir(demo)):
        if f.startswith("行政区划."):
            add(z, f, "达拉特旗/" + f)
with zipfile.ZipFile(os.path.join(out, "both.zip"), "w") as z:
    for f in sorted(os.listdir(demo)):
        if f.startswith("行政区划.") or f.startswith("小区与村民小组."):
            add(z, f, f)
PYEOF
  expect_status 0 "info on a zipped shapefile (GBK names in a folder)" "$CLI" info "$Z/areas.zip" --json
  pycheck info_values "$WORK/stdout" 'feature_count=17'
  expect_status 0 "convert a zipped shapefile to GeoJSON" "$CLI" convert "$Z/areas.zip" "$Z/areas.geojson"
  check "the GeoJSON has every area with its Chinese name" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["features"]) == 17 and any("街道" in str(f["properties"]) for f in d["features"])
' "$Z/areas.geojson"
  expect_status 1 "an archive of two shapefiles without --layer" "$CLI" info "$Z/both.zip"
  one_error_line "$Z/both.zip"
  check "the message lists both and says how to choose" sh -c 'grep -q "行政区划" "$1" && grep -q "小区与村民小组" "$1" && grep -q -- "--layer" "$1"' - "$WORK/stderr"
  expect_status 0 "new project" "$CLI" new "$Z/p.gpkg"
  expect_status 0 "import areas from the archive" "$CLI" import "$Z/p.gpkg" "$Z/both.zip" --layer 行政区划 --as areas
  expect_status 0 "import units from the same archive" "$CLI" import "$Z/p.gpkg" "$Z/both.zip" --layer 小区与村民小组 --as units
  expect_status 0 "info on the project" "$CLI" info "$Z/p.gpkg" --json
  check "the project holds the 17 areas and 136 units" "$PYTHON" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("SELECT count(*) FROM areas").fetchone()[0] == 17
assert db.execute("SELECT count(*) FROM units").fetchone()[0] == 136
' "$Z/p.gpkg"
  no_leftovers "$Z"
fi

# Shapefile output: Chinese field names that do not fit are said after writing, one line each;
# GBK output for old software keeps five Chinese characters.
if [ -f "$SRC/data/demo/小区与村民小组.shp" ]; then
  expect_status 0 "convert the demo's units to a UTF-8 shapefile" "$CLI" convert "$SRC/data/demo/小区与村民小组.shp" "$Z/utf8.shp"
  check "the rename of 所属代码 (12 bytes in UTF-8) is said, after the file is written" \
    sh -c 'grep -q "所属代码.*所属代" "$1" && [ -s "$2" ]' - "$WORK/stderr" "$Z/utf8.dbf"
  expect_status 0 "convert them to a GBK shapefile" "$CLI" convert "$SRC/data/demo/小区与村民小组.shp" "$Z/gbk.shp" --out-encoding GBK
  check "GBK output: .cpg GBK, no rename needed" sh -c '[ "$(cat "$1")" = GBK ] && ! grep -q "written as" "$2"' - "$Z/gbk.cpg" "$WORK/stderr"
  expect_status 0 "our reader reads the GBK output" "$CLI" info "$Z/gbk.shp" --json
  check "every field name whole, text as GBK" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["encoding"] == "GBK", d["encoding"]
assert "所属代码" in [f["name"] for f in d["fields"]], d["fields"]
' "$WORK/stdout"
  expect_status 2 "GBK output for GeoJSON" "$CLI" convert "$SRC/data/demo/小区与村民小组.shp" "$Z/x.geojson" --out-encoding GBK
fi

finish
