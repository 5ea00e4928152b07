#!/bin/sh
# test-info.sh: `gridplan-cli info` on generated shapefiles and on its own GeoPackage output.
. "$(dirname "$0")/lib.sh"
make_fixtures

for name in grids households roads plan; do
  expect_status 0 "info --json $name.shp" "$CLI" info "$FX/$name.shp" --json
  cp "$WORK/stdout" "$WORK/$name.json"
  pycheck "info_$name" "$WORK/$name.json"
done

# --encoding overrides the .cpg: read as UTF-8, the GBK names are not what they were.
expect_status 0 "info --encoding UTF-8 on a GBK file" "$CLI" info "$FX/grids.shp" --json --encoding UTF-8
check "the encoding given wins" "$PYTHON" "$HERE/checks.py" info_values "$WORK/stdout" 'encoding="UTF-8"'

# Text mode: a readable summary naming the file, the type, the count and the fields.
expect_status 0 "info (text)" "$CLI" info "$FX/grids.shp"
check "text names the file" grep -q "grids.shp" "$WORK/stdout"
check "text gives the type" grep -q "Polygon" "$WORK/stdout"
check "text lists the Chinese field name" grep -q "名称" "$WORK/stdout"
check "text gives the EPSG code" grep -q "EPSG:4326" "$WORK/stdout"
check "text mode is not JSON" sh -c '! grep -q "\"feature_count\"" "$1"' sh "$WORK/stdout"

# A GeoPackage: the contract's keys for its feature table, plus every table listed.
expect_status 0 "convert to .gpkg" "$CLI" convert "$FX/grids.shp" "$WORK/grids.gpkg"
expect_status 0 "info --json on a GeoPackage" "$CLI" info "$WORK/grids.gpkg" --json
cp "$WORK/stdout" "$WORK/gpkg.json"
pycheck info_grids_gpkg "$WORK/gpkg.json"
expect_status 0 "info (text) on a GeoPackage" "$CLI" info "$WORK/grids.gpkg"
check "text lists the table and its rows" grep -q "grids (features): 5" "$WORK/stdout"

# The same GeoPackage under another name is still recognised by its content.
cp "$WORK/grids.gpkg" "$WORK/grids.sqlite"
expect_status 0 "info on a GeoPackage not named .gpkg" "$CLI" info "$WORK/grids.sqlite" --json
pycheck info_grids_gpkg "$WORK/stdout"

finish
