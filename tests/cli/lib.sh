# lib.sh: what the CLI test scripts share (POSIX sh). Source it with the gridplan-cli path as $1.
# Each check prints "ok - ..." or "not ok - ..."; the script exits 1 when any failed, 77 to skip.
set -u

CLI=$1
HERE=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON3:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gridplan-cli-test.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
FX=$WORK/fixtures
failures=0
checks=0

ok () { checks=$((checks + 1)); echo "ok $checks - $*"; }
not_ok () { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok $checks - $*"; }

skip_all () { echo "1..0 # SKIP $*"; exit 77; }

# run CMD...: runs it with stdout and stderr kept in $WORK/stdout and $WORK/stderr; $status.
run () {
  "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  status=$?
}

# check DESC CMD...: CMD must succeed.
# (Variables in these functions start with _: sh has no locals, and callers loop over "name".)
check () {
  _desc=$1; shift
  if "$@"; then ok "$_desc"; else not_ok "$_desc"; fi
}

# expect_status N DESC CMD...: CMD (run through `run`) must exit with N.
expect_status () {
  _want=$1 _desc=$2; shift 2
  run "$@"
  if [ "$status" -eq "$_want" ]; then
    ok "$_desc (exit $status)"
  else
    not_ok "$_desc: exit $status, expected $_want"
    sed 's/^/# stderr: /' "$WORK/stderr" | head -n 5
  fi
}

# one_error_line FILE: stderr of the last run is exactly one line "gridplan-cli: FILE: ...".
one_error_line () {
  _lines=$(wc -l <"$WORK/stderr")
  _first=$(head -n 1 "$WORK/stderr")
  case $_first in
    "gridplan-cli: $1: "?*)
      if [ "$_lines" -eq 1 ]; then ok "one error line naming $1"; return; fi ;;
  esac
  not_ok "expected one line \"gridplan-cli: $1: ...\" on stderr, got $_lines:"
  sed 's/^/# stderr: /' "$WORK/stderr" | head -n 5
}

# pycheck NAME ARGS...: a named check from checks.py.
pycheck () {
  _check=$1; shift
  if "$PYTHON" "$HERE/checks.py" "$_check" "$@"; then ok "$_check $*"; else not_ok "$_check $*"; fi
}

make_fixtures () {
  "$PYTHON" "$HERE/fixtures.py" "$FX" || { echo "# cannot write fixtures"; exit 1; }
}

# no_leftovers DIR: no temporary files (*.part, sqlite journals) left in DIR.
no_leftovers () {
  _left=$(find "$1" -name '*.part' -o -name '*-journal' -o -name '*-wal' | head -n 3)
  if [ -z "$_left" ]; then ok "no temporary files left in $1"; else not_ok "left behind: $_left"; fi
}

finish () {
  echo "1..$checks"
  [ "$failures" -eq 0 ] || { echo "# $failures of $checks checks failed"; exit 1; }
  exit 0
}
