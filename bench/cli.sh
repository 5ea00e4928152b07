# bench/cli.sh: sourced by the benchmark scripts: sets CLI to an optimised gridplan-cli (release,
# no GUI) built in $BUILD from $SRC, or to $GRIDPLAN_CLI when given, and makes $DIR absolute.
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [ -n "${GRIDPLAN_CLI:-}" ]; then
  CLI=$GRIDPLAN_CLI
else
  [ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" "$SRC" --buildtype=release -Dgui=disabled >/dev/null
  meson compile -C "$BUILD" gridplan-cli >/dev/null
  CLI=$BUILD/src/cli/gridplan-cli
fi
