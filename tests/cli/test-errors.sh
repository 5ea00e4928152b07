#!/bin/sh
# test-errors.sh: bad input and failed writes: exit 1, one stderr line naming the file, and never
# a half-written output (nor a temporary) left behind.
. "$(dirname "$0")/lib.sh"
make_fixtures
OUT=$WORK/out
mkdir -p "$OUT"

for bad in garbage.shp empty-file.shp garbage.gpkg missing.shp missing.gpkg; do
  expect_status 1 "info $bad" "$CLI" info "$FX/$bad"
  one_error_line "$FX/$bad"
  expect_status 1 "info --json $bad" "$CLI" info --json "$FX/$bad"
  one_error_line "$FX/$bad"
  check "nothing on stdout" test ! -s "$WORK/stdout"
  for ext in geojson gpkg shp csv; do
    expect_status 1 "convert $bad to .$ext" "$CLI" convert "$FX/$bad" "$OUT/bad.$ext"
    one_error_line "$FX/$bad"
    check "no bad.$ext" test ! -e "$OUT/bad.$ext"
  done
done
expect_status 1 "an input that is neither .shp nor .gpkg" "$CLI" convert "$FX/grids.dbf" "$OUT/x.geojson"
one_error_line "$FX/grids.dbf"

# Unwritable places: a missing directory, a "directory" that is a file.
for out in "$OUT/no/such/dir/x.gpkg" "$FX/grids.cpg/x.geojson" "$OUT/no/x.shp" "$OUT/no/x.csv"; do
  expect_status 1 "convert into $out" "$CLI" convert "$FX/grids.shp" "$out"
  one_error_line "$out"
done
check "no directory made" test ! -e "$OUT/no"

# OUT equal to IN is refused, and IN is left as it was.
cp "$FX/grids.shp" "$WORK/grids.shp.orig"
expect_status 1 "convert a shapefile onto itself" "$CLI" convert "$FX/grids.shp" "$FX/grids.shp"
one_error_line "$FX/grids.shp"
check "the input is untouched" cmp -s "$FX/grids.shp" "$WORK/grids.shp.orig"
expect_status 0 "make a GeoPackage" "$CLI" convert "$FX/grids.shp" "$OUT/g.gpkg"
cp "$OUT/g.gpkg" "$WORK/g.gpkg.orig"
expect_status 1 "convert a GeoPackage onto itself" "$CLI" convert "$OUT/g.gpkg" "$OUT/./g.gpkg"
one_error_line "$OUT/./g.gpkg"
check "the GeoPackage is untouched" cmp -s "$OUT/g.gpkg" "$WORK/g.gpkg.orig"

# --to without a known source CRS.
expect_status 1 "convert --to from an unknown CRS" "$CLI" convert --to EPSG:4326 "$FX/plan.shp" "$OUT/plan.geojson"
one_error_line "$FX/plan.shp"
check "no plan.geojson" test ! -e "$OUT/plan.geojson"

# A write that fails half-way (the file size limit, with SIGXFSZ ignored so write() fails with
# EFBIG as on a full disk): exit 1, the old output (if any) intact, nothing else left.
echo "previous" >"$OUT/keep.geojson"
for ext in geojson gpkg shp csv; do
  target=$OUT/big.$ext
  [ "$ext" = geojson ] && target=$OUT/keep.geojson
  expect_status 1 "convert to .$ext with the disk full half-way" \
    sh -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' sh "$CLI" convert "$FX/many.shp" "$target"
  one_error_line "$target"
done
check "no big.* written" sh -c '! ls "$1"/big.* 2>/dev/null' sh "$OUT"
check "the previous output is intact" grep -qx previous "$OUT/keep.geojson"
no_leftovers "$OUT"
no_leftovers "$FX"

finish
