#!/bin/sh
# bench/app/run.sh [N]: the window's responsiveness with a big project (issue 13: no main-loop
# stall over 100 ms with 100,000 units loaded). Makes, once, a project of the clustered N units
# (default 100000) of bench/split (villages of ~3,000 households drawn by our own splitter, the
# units imported into them, split at T 300), then runs `gridplan --bench-stalls` under Xvfb at
# 1920x1080: pans, zooms, the grid list, the check, a heatmap and a split, printing as JSON the
# longest time the main loop was held up in each step and how often it went over 100 ms.
# Knobs: BUILD (build), DIR (/tmp/gridplan-bench-app). Needs xvfb-run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$src/build}
DIR=${DIR:-/tmp/gridplan-bench-app}
N=${1:-100000}
cli="$BUILD/src/cli/gridplan-cli"
units="$DIR/clustered-$N.shp"
project="$DIR/app-$N.gpkg"

ninja -C "$BUILD" src/cli/gridplan-cli src/app/gridplan bench/split/bench-e2e >/dev/null
mkdir -p "$DIR"
if [ ! -f "$units" ]; then
  # bench-e2e writes its seeded datasets into --dir (and times them, which costs a few seconds).
  "$BUILD/bench/split/bench-e2e" --sizes "$N" --points "" --no-metis --dir "$DIR" >/dev/null
fi
if [ ! -f "$project" ]; then
  "$cli" split "$units" --weight HH --target 3000 --grids "$DIR/villages-$N.shp" >/dev/null 2>&1
  "$cli" new "$project.building" >/dev/null
  "$cli" import "$project.building" "$DIR/villages-$N.shp" --as areas --code-field code >/dev/null 2>&1
  "$cli" import "$project.building" "$units" --as units >/dev/null 2>&1
  "$cli" split "$project.building" --target 300 >/dev/null 2>&1
  mv "$project.building" "$project"
fi
GSK_RENDERER=${GSK_RENDERER:-cairo} GDK_BACKEND=x11 NO_AT_BRIDGE=1 \
  xvfb-run -a -s "-screen 0 1920x1200x24" dbus-run-session -- \
  "$BUILD/src/app/gridplan" --bench-stalls --size 1920x1080 "$project" 2>/dev/null
