#!/bin/sh
# run.sh: the reading benchmark: gridplan-cli convert vs ogr2ogr on one seeded 100,000-polygon
# shapefile (GBK text), to GeoPackage and to GeoJSON, in one run, printed as a table.
#
# Usage: bench/read/run.sh [DIR]      (DIR defaults to /tmp/gridplan-bench-read)
# Environment: N (polygons, 100000), SEED (2024), RUNS (5), BUILD (build dir, build-bench),
#              GRIDPLAN_CLI (use this binary instead of building one).
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-/tmp/gridplan-bench-read}
N=${N:-100000}
SEED=${SEED:-2024}
RUNS=${RUNS:-5}
BUILD=${BUILD:-$SRC/build-bench}

# 1. An optimised build of gridplan-cli (release, no GUI), unless one is given.
. "$SRC/bench/cli.sh"
command -v ogr2ogr >/dev/null 2>&1 || { echo "run.sh: ogr2ogr (gdal-bin) is needed" >&2; exit 1; }

# 2. The data, generated once per N and SEED.
SHP=$DIR/units-$N-$SEED.shp
[ -f "$SHP" ] && [ -f "${SHP%.shp}.dbf" ] || python3 "$SRC/bench/read/gen.py" "$SHP" "$N" "$SEED"

# 3. Sanity: both tools read every feature, and agree on the count.
"$CLI" convert "$SHP" "$DIR/check.gpkg"
count=$(ogrinfo -ro -so "$DIR/check.gpkg" "units_${N}_$SEED" | sed -n 's/^Feature Count: //p')
[ "$count" = "$N" ] || { echo "run.sh: gridplan-cli wrote $count features, expected $N" >&2; exit 1; }
rm -f "$DIR/check.gpkg"

# 4. Timing: each run starts without the output file (ogr2ogr will not overwrite a GeoPackage).
gp_gpkg="rm -f '$DIR/gp.gpkg' && '$CLI' convert '$SHP' '$DIR/gp.gpkg'"
gdal_gpkg="rm -f '$DIR/gdal.gpkg' && ogr2ogr -f GPKG '$DIR/gdal.gpkg' '$SHP'"
gp_json="rm -f '$DIR/gp.geojson' && '$CLI' convert '$SHP' '$DIR/gp.geojson'"
gdal_json="rm -f '$DIR/gdal.geojson' && ogr2ogr -f GeoJSON '$DIR/gdal.geojson' '$SHP'"

echo "gridplan-cli: $CLI ($("$CLI" --version))"
echo "ogr2ogr: $(ogr2ogr --version)"
echo "data: $SHP ($N polygons, seed $SEED), $(nproc) CPUs"
echo

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs "$RUNS" --style basic --export-markdown "$DIR/results.md" \
    -n "gridplan-cli convert → .gpkg" "$gp_gpkg" \
    -n "ogr2ogr -f GPKG" "$gdal_gpkg" \
    -n "gridplan-cli convert → .geojson" "$gp_json" \
    -n "ogr2ogr -f GeoJSON" "$gdal_json" 2>/dev/null >"$DIR/hyperfine.log" \
    || { cat "$DIR/hyperfine.log"; exit 1; }
  cat "$DIR/results.md"
else
  # Best of RUNS wall-clock seconds.
  best_of () {
    best=""
    i=0
    while [ "$i" -lt "$RUNS" ]; do
      t0=$(date +%s.%N)
      sh -c "$1" 2>/dev/null
      t1=$(date +%s.%N)
      t=$(echo "$t1 - $t0" | bc)
      if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" -eq 1 ]; then best=$t; fi
      i=$((i + 1))
    done
    printf '%.3f' "$best"
  }
  echo "| Command | best of $RUNS [s] |"
  echo "|:---|---:|"
  echo "| gridplan-cli convert → .gpkg | $(best_of "$gp_gpkg") |"
  echo "| ogr2ogr -f GPKG | $(best_of "$gdal_gpkg") |"
  echo "| gridplan-cli convert → .geojson | $(best_of "$gp_json") |"
  echo "| ogr2ogr -f GeoJSON | $(best_of "$gdal_json") |"
fi
echo
ls -l "$DIR"/gp.gpkg "$DIR"/gdal.gpkg "$DIR"/gp.geojson "$DIR"/gdal.geojson | awk '{ printf "%s %d MB\n", $NF, $5 / 1e6 }'
