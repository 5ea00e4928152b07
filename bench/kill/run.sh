#!/bin/sh
# bench/kill/run.sh [ROUNDS] [SEED]: crash safety. Kills gridplan-cli with SIGKILL at random
# moments of import, split, people, assign, events and export (ROUNDS times, 200) on the demo
# district and checks after each kill that the project passes PRAGMA integrity_check, opens, and
# holds exactly the last committed state, and that exports are whole or absent (kill.py says how).
# Knobs: BUILD (build directory, default build), DIR (/tmp/gridplan-kill).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$src/build}
DIR=${DIR:-/tmp/gridplan-kill}
ninja -C "$BUILD" src/cli/gridplan-cli >/dev/null
exec python3 "$here/kill.py" "$BUILD/src/cli/gridplan-cli" "$src/data/demo" "$DIR" "${1:-200}" "${2:-2026}"
