#!/usr/bin/env bash
# Fails when the Spanish catalogue is behind the code: a string marked for translation but
# missing from locale/es/LC_MESSAGES/django.po (makemessages would change it), an untranslated
# or fuzzy entry, or a django.mo not compiled from the committed django.po.
set -euo pipefail
cd "$(dirname "$0")/.."
PO=locale/es/LC_MESSAGES/django.po
MO=locale/es/LC_MESSAGES/django.mo
work=$(mktemp -d)
trap 'cp "$work/django.po" "$PO"; rm -rf "$work"' EXIT
cp "$PO" "$work/django.po"
.venv/bin/python manage.py makemessages -l es --no-obsolete --no-wrap --no-location \
  -i .venv -i staticfiles -i tests -i node_modules -i media -i private-media >/dev/null
if ! diff -q <(grep -v '^"POT-Creation-Date' "$work/django.po") <(grep -v '^"POT-Creation-Date' "$PO") >/dev/null; then
  echo "check_translations: the catalogue is stale; run makemessages -l es and translate:" >&2
  diff <(grep -v '^"POT-Creation-Date' "$work/django.po") <(grep -v '^"POT-Creation-Date' "$PO") | head -40 >&2
  exit 1
fi
stats=$(LC_ALL=C msgfmt --check --statistics -o "$work/django.mo" "$work/django.po" 2>&1)
if grep -qE "fuzzy|untranslated" <<<"$stats"; then
  echo "check_translations: $stats" >&2
  msgattrib --untranslated --only-fuzzy "$work/django.po" 2>/dev/null | head -20 >&2 || true
  msgattrib --untranslated "$work/django.po" | grep -m 20 '^msgid' >&2 || true
  exit 1
fi
cmp -s "$work/django.mo" "$MO" || { echo "check_translations: $MO is not compiled from $PO (run compilemessages)" >&2; exit 1; }
echo "check_translations: $stats"
