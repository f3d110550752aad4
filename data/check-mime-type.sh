#!/bin/sh
# check-mime-type.sh: checks that the desktop recognises a .awda file as a sync bundle
#
# Copyright 2026 The Awda developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-mime-type.sh MIME_XML
# Installs MIME_XML into a private shared-mime-info database, then asks GIO
# for the type of a gzip-compressed XML file named like a bundle.

set -eu

xml=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/mime/packages"
cp "$xml" "$tmp/mime/packages/org.awda.Awda.xml"
update-mime-database "$tmp/mime" >/dev/null 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }

grep -qx '50:application/x-awda-bundle:\*\.awda' "$tmp/mime/globs2" || {
  echo "update-mime-database did not register *.awda as application/x-awda-bundle" >&2
  exit 1
}

printf '<?xml version="1.0"?>\n<bundle/>\n' | gzip -c >"$tmp/north.awda"
type=$(XDG_DATA_HOME="$tmp" gio info -a standard::content-type "$tmp/north.awda" |
       sed -n 's/^ *standard::content-type: //p')
if [ "$type" != "application/x-awda-bundle" ]; then
  echo "GIO sees a .awda file as “$type”, not as application/x-awda-bundle" >&2
  exit 1
fi

# Translated comments are merged in (French at least).
grep -q 'xml:lang="fr"' "$xml" || {
  echo "$xml holds no French comment: is po/fr.po merged?" >&2
  exit 1
}
echo "*.awda is application/x-awda-bundle"
