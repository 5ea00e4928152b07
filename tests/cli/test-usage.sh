#!/bin/sh
# test-usage.sh: exit status 0 for help, 2 for every usage error, with a hint on stderr.
. "$(dirname "$0")/lib.sh"
make_fixtures

expect_status 0 "--help" "$CLI" --help
expect_status 0 "info --help" "$CLI" info --help
expect_status 0 "convert --help" "$CLI" convert --help
check "convert --help names the formats" grep -q "geojson" "$WORK/stdout"
expect_status 2 "no command" "$CLI"
expect_status 2 "unknown command" "$CLI" frobnicate
expect_status 2 "info without a file" "$CLI" info
expect_status 2 "info with two files" "$CLI" info "$FX/grids.shp" "$FX/roads.shp"
expect_status 2 "info with an unknown option" "$CLI" info --bogus "$FX/grids.shp"
expect_status 2 "info with an unknown encoding" "$CLI" info --encoding NOPE-42 "$FX/grids.shp"
expect_status 2 "convert without an output" "$CLI" convert "$FX/grids.shp"
expect_status 2 "convert to an unknown format" "$CLI" convert "$FX/grids.shp" "$WORK/out.txt"
check "the unknown format is named" grep -q "out.txt" "$WORK/stderr"
check "no output for an unknown format" test ! -e "$WORK/out.txt"
expect_status 2 "convert to a name without extension" "$CLI" convert "$FX/grids.shp" "$WORK/geojson"
expect_status 2 "convert with an unknown encoding" "$CLI" convert --encoding NOPE-42 "$FX/grids.shp" "$WORK/o.geojson"
expect_status 2 "convert --to an unknown CRS" "$CLI" convert --to EPSG:999999 "$FX/grids.shp" "$WORK/o.geojson"
# zh_CN is complete and loaded from the build tree: help and errors come out in Chinese.
expect_status 0 "--help in Chinese" env LANGUAGE=zh_CN "$CLI" --help
check "the command list is in Chinese" grep -q "命令" "$WORK/stdout"
expect_status 2 "an unknown command in Chinese" env LANGUAGE=zh_CN "$CLI" frobnicate
check "the usage error is in Chinese" grep -q "未知" "$WORK/stderr"
printf 'not a shapefile at all, just text that is long enough to have a header\n%.0s' 1 2 3 >"$WORK/garbage.shp"
expect_status 1 "a broken file in Chinese" env LANGUAGE=zh_CN "$CLI" info "$WORK/garbage.shp"
check "the error names the file" grep -q "garbage.shp" "$WORK/stderr"
check "the error is in Chinese" grep -qP "[\x{4e00}-\x{9fff}]" "$WORK/stderr"
check "nothing written after usage errors" sh -c '[ -z "$(ls "$1" | grep -v -e fixtures -e stdout -e stderr -e garbage.shp)" ] || { ls "$1"; false; }' sh "$WORK"

finish
