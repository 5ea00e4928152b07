#!/bin/sh
# test-gdal.sh: GDAL reads what gridplan-cli writes (Chinese text intact, counts right, the
# spatial index found), and gridplan-cli reads what GDAL writes. Skipped without gdal-bin.
. "$(dirname "$0")/lib.sh"
command -v ogrinfo >/dev/null 2>&1 && command -v ogr2ogr >/dev/null 2>&1 \
  || skip_all "ogrinfo/ogr2ogr (gdal-bin) not installed"
make_fixtures
OUT=$WORK/out
mkdir -p "$OUT"

expect_status 0 "convert .shp to .gpkg" "$CLI" convert "$FX/grids.shp" "$OUT/grids.gpkg"
expect_status 0 "ogrinfo opens it" ogrinfo -ro -so "$OUT/grids.gpkg" grids
check "GDAL counts 5 features" grep -q "^Feature Count: 5$" "$WORK/stdout"
check "GDAL sees multipolygons" grep -q "^Geometry: Multi Polygon$" "$WORK/stdout"
check "GDAL sees EPSG:4326" grep -q 'ID\["EPSG",4326\]' "$WORK/stdout"
check "GDAL sees the field types" sh -c 'grep -q "^HH: Integer64" "$1" && grep -q "^AREA: Real" "$1" && grep -q "^DRAWN: Date" "$1" && grep -q "^LOCKED: Integer(Boolean)" "$1"' sh "$WORK/stdout"
check "GDAL has no complaint" test ! -s "$WORK/stderr"
sed 's/^/# stderr: /' "$WORK/stderr" | head -n 5

expect_status 0 "ogrinfo reads the features" ogrinfo -ro -q "$OUT/grids.gpkg" grids
check "Chinese text intact" grep -q "名称 (String) = 青山区第一网格" "$WORK/stdout"
check "quotes intact" grep -q '名称 (String) = 达拉特旗"两块"' "$WORK/stdout"
check "dates intact" grep -q "DRAWN (Date) = 2024/02/29" "$WORK/stdout"
check "GDAL has no complaint" test ! -s "$WORK/stderr"
expect_status 0 "GDAL finds the spatial index" ogrinfo -ro -q "$OUT/grids.gpkg" \
  -sql "SELECT HasSpatialIndex('grids', 'geom')"
check "HasSpatialIndex = 1" grep -q "HasSpatialIndex (Integer) = 1" "$WORK/stdout"
expect_status 0 "GDAL queries through the index" ogrinfo -ro -q "$OUT/grids.gpkg" grids -spat 110.9 39.9 111.1 40.1
check "the spatial filter finds the two-piece grid" grep -q "青山区第一网格\|达拉特旗" "$WORK/stdout"
check "and only it" sh -c '[ "$(grep -c "^OGRFeature" "$1")" -eq 1 ]' sh "$WORK/stdout"

# GDAL edits the file: the rtree triggers must work with its ST_ functions.
cp "$OUT/grids.gpkg" "$OUT/edited.gpkg"
expect_status 0 "GDAL deletes a feature" ogrinfo "$OUT/edited.gpkg" -sql "DELETE FROM grids WHERE fid = 3"
expect_status 0 "GDAL checks the index" ogrinfo -ro -q "$OUT/edited.gpkg" -sql "SELECT count(*) AS n FROM rtree_grids_geom"
check "the index followed the delete (4 indexed grids, one gone)" grep -q "n (Integer) = 3" "$WORK/stdout"

# Shapefile and GeoJSON outputs open in GDAL with the text intact.
expect_status 0 "convert .shp to .shp" "$CLI" convert "$FX/grids.shp" "$OUT/copy.shp"
expect_status 0 "ogrinfo reads the shapefile" ogrinfo -ro -q -al "$OUT/copy.shp"
check "Chinese text intact in the shapefile" grep -q "青山区第一网格" "$WORK/stdout"
check "5 features" sh -c '[ "$(grep -c "^OGRFeature" "$1")" -eq 5 ]' sh "$WORK/stdout"
expect_status 0 "convert .shp to .geojson" "$CLI" convert "$FX/grids.shp" "$OUT/grids.geojson"
expect_status 0 "ogrinfo reads the GeoJSON" ogrinfo -ro -so "$OUT/grids.geojson" grids
check "GDAL counts 5 GeoJSON features" grep -q "^Feature Count: 5$" "$WORK/stdout"

# What GDAL writes, gridplan-cli reads: the same features as its own conversion (GDAL 3.6 reads a
# DBF logical as the text "T"/"F"/"?", so LOCKED is left out of the comparison).
expect_status 0 "ogr2ogr .shp to .gpkg" ogr2ogr -f GPKG "$OUT/gdal.gpkg" "$FX/grids.shp"
expect_status 0 "gridplan-cli reads GDAL's GeoPackage" "$CLI" info --json "$OUT/gdal.gpkg"
cp "$WORK/stdout" "$WORK/gdal.json"
pycheck info_values "$WORK/gdal.json" 'feature_count=5' 'geometry_type="Polygon"' 'crs.epsg=4326' \
  'fields=[{"name":"名称","type":"string"},{"name":"HH","type":"integer"},{"name":"AREA","type":"real"},{"name":"DRAWN","type":"date"},{"name":"LOCKED","type":"string"}]'
expect_status 0 "convert GDAL's GeoPackage" "$CLI" convert "$OUT/gdal.gpkg" "$OUT/gdal.geojson"
pycheck same_geojson_gdal "$OUT/grids.geojson" "$OUT/gdal.geojson" LOCKED

finish
