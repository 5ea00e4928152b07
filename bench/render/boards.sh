#!/bin/sh
# boards.sh: the notice boards of about 3,000 grids (issue 10's goal: 60 s at most): a seeded
# county of COMMUNITIES villages/communities (120: about 3,000 grids) split, its roster imported
# and assigned by bench/people/run.sh, then `export --notice-boards` timed with its peak memory.
# Usage: bench/render/boards.sh [DIR]   (DIR defaults to /tmp/gridplan-bench-boards)
# Environment: COMMUNITIES (120), SEED (2024), BUILD (build-bench), GRIDPLAN_CLI.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-/tmp/gridplan-bench-boards}
BUILD=${BUILD:-$SRC/build-bench}
export COMMUNITIES=${COMMUNITIES:-120} SEED=${SEED:-2024} BUILD
. "$SRC/bench/cli.sh"
sh "$SRC/bench/people/run.sh" "$DIR" >"$DIR/people.txt"
P=$DIR/people.gpkg
grids=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM grids').fetchone()[0])" "$P")
/usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$CLI" export "$P" --notice-boards "$DIR/boards.pdf" >/dev/null
read -r secs kb <"$DIR/time.txt"
pages=$(pdfinfo "$DIR/boards.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
echo "| notice boards | grids | pages | seconds | peak MB | goal |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| $COMMUNITIES communities | $grids | ${pages:-?} | $secs | $((kb / 1024)) | <= 60 s for 3,000 |"
