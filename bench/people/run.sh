#!/bin/sh
# run.sh: the people benchmark: a seeded county of COMMUNITIES villages/communities (400: about
# 10,000 grids of 300 households and 100,000 people) split, its roster imported and everyone
# assigned, each step timed (wall seconds) with its peak memory, in one run. The goal of issue 9:
# import + assign no slower than the split of the same project.
#
# Usage: bench/people/run.sh [DIR]     (DIR defaults to /tmp/gridplan-bench-people)
# Environment: COMMUNITIES (400), SEED (2024), BUILD (build dir, build-bench),
#              GRIDPLAN_CLI (use this binary instead of building one).
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-/tmp/gridplan-bench-people}
COMMUNITIES=${COMMUNITIES:-400}
SEED=${SEED:-2024}
BUILD=${BUILD:-$SRC/build-bench}

# 1. An optimised build of gridplan-cli (release, no GUI), unless one is given.
. "$SRC/bench/cli.sh"
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time (package time) is needed" >&2; exit 1; }

DATA=$DIR/county-$COMMUNITIES-$SEED
[ -f "$DATA/roster.csv" ] || python3 "$SRC/bench/people/gen.py" "$DATA" "$COMMUNITIES" "$SEED"

P=$DIR/people.gpkg
rm -f "$P" "$P-wal" "$P-shm"
"$CLI" new "$P" >/dev/null
"$CLI" import "$P" "$DATA/areas.shp" --as areas --parent-field PARENT >/dev/null 2>&1
"$CLI" import "$P" "$DATA/units.shp" --as units --parent-field AREA >/dev/null 2>&1

# timed LABEL COMMAND...: one row "LABEL | seconds | peak MB".
timed () {
  label=$1; shift
  /usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$@" >"$DIR/out.txt" 2>"$DIR/err.txt" \
    || { echo "run.sh: $label failed:" >&2; tail -n 3 "$DIR/err.txt" >&2; exit 1; }
  read -r secs kb <"$DIR/time.txt"
  printf '| %s | %s | %d |\n' "$label" "$secs" $((kb / 1024))
  eval "secs_$(echo "$label" | tr -c 'a-z\n' '_')=$secs"
}

echo "gridplan-cli: $CLI ($("$CLI" --version)); $(nproc) CPUs"
echo "data: $DATA ($COMMUNITIES communities, seed $SEED)"
echo
echo "| step | seconds | peak MB |"
echo "| --- | --- | --- |"
timed split "$CLI" split "$P" --target 300
timed people "$CLI" people "$P" "$DATA/roster.csv"
timed assign "$CLI" assign "$P"
echo
grids=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM grids').fetchone()[0])" "$P")
people=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM people').fetchone()[0])" "$P")
echo "$grids grids, $people people; $(tail -n 1 "$DIR/out.txt")"
python3 -c "
import sys
split, people, assign = map(float, sys.argv[1:4])
print('import + assign: %.2f s = %.2f x the split (%.2f s); goal <= 1' % (people + assign, (people + assign) / split, split))
" "$secs_split" "$secs_people" "$secs_assign"
