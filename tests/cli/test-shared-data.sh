#!/bin/sh
# test-shared-data.sh: gridplan-cli on every shapefile in ../shared/data (read in place): each one
# reads or is refused in one line, never a crash; known values checked; mbostock conformance.
. "$(dirname "$0")/lib.sh"
DATA=${GP_SHARED_DATA:-}
[ -n "$DATA" ] && [ -d "$DATA/corpus" ] || skip_all "../shared/data is absent"
OUT=$WORK/out
mkdir -p "$OUT"

# Every file: info and convert exit 0 with a valid result, or 1 with one line and no output.
find "$DATA" -iname '*.shp' | sort >"$WORK/all"
while IFS= read -r shp; do
  run "$CLI" info --json "$shp"
  case $status in
    0) cp "$WORK/stdout" "$WORK/info.json"
       if "$PYTHON" "$HERE/checks.py" info_contract "$WORK/info.json"; then ok "info $shp"
       else not_ok "info $shp: bad JSON"; fi ;;
    1) one_error_line "$shp" ;;
    *) not_ok "info $shp: exit $status"; sed 's/^/# stderr: /' "$WORK/stderr" | head -n 3 ;;
  esac
  for ext in geojson gpkg; do
    rm -f "$OUT/x.$ext"
    run "$CLI" convert "$shp" "$OUT/x.$ext"
    case $status in
      0) if [ -s "$OUT/x.$ext" ]; then ok "convert $shp to .$ext"; else not_ok "convert $shp: no .$ext"; fi ;;
      1) if [ -e "$OUT/x.$ext" ]; then not_ok "convert $shp failed but left x.$ext"; else one_error_line "$shp"; fi ;;
      *) not_ok "convert $shp to .$ext: exit $status"; sed 's/^/# stderr: /' "$WORK/stderr" | head -n 3 ;;
    esac
    # Warnings are single lines in the promised form.
    if grep -v '^gridplan-cli: ' "$WORK/stderr" | grep -q .; then
      not_ok "stray stderr output converting $shp"
      sed 's/^/# stderr: /' "$WORK/stderr" | head -n 3
    fi
  done
done <"$WORK/all"
no_leftovers "$OUT"

# info_is FILE KEY=VALUE...: info --json of a shared file has these values.
info_is () {
  f=$1; shift
  expect_status 0 "info $f" "$CLI" info --json "$DATA/$f"
  cp "$WORK/stdout" "$WORK/info.json"
  pycheck info_values "$WORK/info.json" "$@"
}

info_is corpus/pyshp/blockgroups.shp 'feature_count=663' 'len(fields)=43' 'geometry_type="Polygon"' \
  'crs.epsg=4326' 'bbox=[-122.515048,37.652916,-122.327622,37.863433]' 'null_geometries=0'
info_is corpus/pyshp/merge.shp 'feature_count=6630'
info_is corpus/pyshp/corrupt_too_long.shp 'feature_count=10' 'geometry_type="PolyLine"' \
  'fields=[{"name":"test","type":"string"}]'
info_is corpus/shapefile-js/test-data/LGA_2013_AUST.shp 'feature_count=13'
info_is corpus/shapefile-js/test-data/counties.shp 'feature_count=14'
info_is corpus/shapefile-js/test-data/export_multipointz.shp 'geometry_type="MultiPointZ"'
info_is corpus/shapelib/shape_eg_data/multipatch.shp 'geometry_type="MultiPatch"'
info_is cn/boundaries-datav/shp-gbk/target_counties_gbk.shp 'feature_count=5' 'encoding="GBK"' \
  'crs.epsg=4326' 'null_geometries=0'
expect_status 1 "info on a non-shapefile" "$CLI" info "$DATA/corpus/shapefile-js/test-data/bad.shp"
one_error_line "$DATA/corpus/shapefile-js/test-data/bad.shp"

# GBK county names come out as the names in the GeoJSON they were made from.
for name in target_counties im_cities im_counties; do
  expect_status 0 "convert $name (GBK)" "$CLI" convert "$DATA/cn/boundaries-datav/shp-gbk/${name}_gbk.shp" "$OUT/$name.geojson"
  pycheck names_match "$OUT/$name.geojson" "$DATA/cn/boundaries-datav/geojson/$name.geojson"
  expect_status 0 "and to .gpkg" "$CLI" convert "$DATA/cn/boundaries-datav/shp-gbk/${name}_gbk.shp" "$OUT/$name.gpkg"
  expect_status 0 "and from .gpkg" "$CLI" convert "$OUT/$name.gpkg" "$OUT/$name-gpkg.geojson"
  pycheck same_geojson "$OUT/$name.geojson" "$OUT/$name-gpkg.geojson" through-gpkg
done

# mbostock's shapefile conformance suite through `convert`: geometry exactly, properties by value.
for json in "$DATA"/corpus/mbostock/*.json; do
  base=${json%.json}
  [ -f "$base.shp" ] || continue
  name=$(basename "$base")
  expect_status 0 "convert mbostock $name" "$CLI" convert "$base.shp" "$OUT/mb-$name.geojson"
  pycheck mbostock "$json" "$OUT/mb-$name.geojson"
done

finish
