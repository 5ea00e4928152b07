#!/bin/sh
# tests/po-complete.sh: zh_CN is kept complete: every file with translatable strings is listed
# in po/POTFILES.in, and every string in them has a non-fuzzy zh_CN translation.
set -eu
src="$1"
cd "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# 1. Files that mark strings but are not in POTFILES.in.
grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_)\(|translatable="yes"' src ui 2>/dev/null | sort > "$tmp/marked"
grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort > "$tmp/listed"
missing=$(comm -23 "$tmp/marked" "$tmp/listed")
if [ -n "$missing" ]; then
  echo "not in po/POTFILES.in:"; echo "$missing"; status=1
fi
for f in $(cat "$tmp/listed"); do
  [ -f "$f" ] || { echo "po/POTFILES.in lists a missing file: $f"; status=1; }
done

# 2. Every string translated.
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 --add-comments \
  --files-from="$tmp/listed" -o "$tmp/gridplan.pot" 2>"$tmp/xgettext.err" || { cat "$tmp/xgettext.err"; exit 1; }
if [ ! -f "$tmp/gridplan.pot" ]; then
  echo "no translatable strings found"; exit $status
fi
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" po/zh_CN.po "$tmp/gridplan.pot"
untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" | grep -c '^msgid ' || true)
# msgattrib prints the header entry too (msgid ""), when anything is printed at all.
[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
  echo "zh_CN: $untranslated untranslated, $fuzzy fuzzy:"
  msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -A1 '^msgid ' | head -60
  status=1
fi
msgfmt --check -o /dev/null po/zh_CN.po || status=1
exit $status
