#!/bin/sh
# tools/make-demo-project.sh: build the demo project file from data/demo with gridplan-cli, the
# way a planner would: a new project, then the areas, then the compounds and villager groups.
# Usage: make-demo-project.sh GRIDPLAN-CLI OUT.gpkg DEMO-DIR
set -eu
cli="$1"; out="$2"; demo="$3"
tmp="$out.building"
rm -f "$tmp" "$tmp-wal" "$tmp-shm"
"$cli" new "$tmp" >/dev/null
"$cli" import "$tmp" "$demo/行政区划.shp" --as areas >/dev/null 2>&1
"$cli" import "$tmp" "$demo/小区与村民小组.shp" --as units >/dev/null 2>&1
mv -f "$tmp" "$out"
