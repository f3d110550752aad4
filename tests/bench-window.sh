#!/bin/sh
# bench-window.sh: search, filters, scrolling and opening a case in the window, on a million demo cases
#
# Copyright 2026 The Awda developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-window.sh AWDA AWDA-CLI DATABASE SCHEMA-DIR
#
# $AWDA_BENCH_DATABASE, when set, stands for DATABASE, which is made with
# `awda-cli demo --cases 1000000` when it is not there (once: it takes a
# while, and is kept; the first-frame benchmark shares it). Then starts
# the program with AWDA_PROFILE=1 AWDA_PROFILE_BENCH=1 AWDA_PROFILE_QUIT=1:
# once the list is whole, it types searches a key every 150 ms, chooses
# each filter and each order, scrolls the list (smoothly, then through all of it) with a
# frame clock counting the frames, and opens cases, and prints what it
# measured (see src/gui/awda-profile.c); this script sums it up against
# the targets of issue 4. AWDA_PROFILE_BENCH_PARTS=search,filter,sort,scroll,open
# runs only some parts. Needs a display (run it under tools/with-display).

set -eu

if [ $# -lt 4 ]; then
  echo "Usage: $0 AWDA AWDA-CLI DATABASE SCHEMA-DIR" >&2
  exit 1
fi

awda=$1
cli=$2
db=${AWDA_BENCH_DATABASE:-$3}
schemas=$4
cases=${AWDA_BENCH_CASES:-1000000}

if [ ! -e "$db" ]; then
  echo "Creating $db with $cases demo cases, once: this takes a while."
  mkdir -p "$(dirname "$db")"
  part="$db.part"
  rm -f "$part" "$part-wal" "$part-shm"
  "$cli" --database "$part" init --site-name "Plateforme centrale" \
    --site-kind central --governorate TN-11 >/dev/null
  "$cli" --database "$part" demo --cases "$cases" --seed 1
  if [ -e "$part-wal" ]; then
    echo "$part-wal is still there: the demo did not close cleanly." >&2
    exit 1
  fi
  mv "$part" "$db"
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT

GSETTINGS_SCHEMA_DIR=$schemas GSETTINGS_BACKEND=memory \
  AWDA_PROFILE=1 AWDA_PROFILE_BENCH=1 AWDA_PROFILE_QUIT=1 \
  timeout 1800 "$awda" --database "$db" | tee "$out"

awk '
  function field(line, key,    n, i, parts, kv) {
    n = split(line, parts, " ")
    for (i = 1; i <= n; i++) {
      split(parts[i], kv, "=")
      if (kv[1] == key) return kv[2]
    }
    return ""
  }
  /awda-profile: first-frame-ms=/ { sub(/.*first-frame-ms=/, ""); first = $1 }
  /awda-profile: search-ms / { search = field($0, "p95") }
  /awda-profile: filter-ms / { filter = field($0, "p95"); filter_max = field($0, "max") }
  /awda-profile: filter-search-ms / { filter_search = field($0, "p95") }
  /awda-profile: sort-ms / { sort = field($0, "p95"); sort_max = field($0, "max") }
  /awda-profile: sort-search-ms / { sort_search = field($0, "p95") }
  /awda-profile: items-changed-ms / { changed = field($0, "p95") }
  /scroll-whole-main-thread-cpu-ms-a-frame=/ { sub(/.*=/, ""); whole_cpu = $1 }
  /scroll-smooth-fps=/ { sub(/.*scroll-smooth-fps=/, ""); smooth = $1 }
  /scroll-whole-fps=/ { sub(/.*scroll-whole-fps=/, ""); whole = $1 }
  /open-case-ms / { open = field($0, "p95"); open_max = field($0, "max") }
  /vm-rss-kb=/ { sub(/.*vm-rss-kb=/, ""); if ($1 + 0 > rss) rss = $1 + 0 }
  END {
    if (first == "") { print "no figures: did the program start?"; exit 1 }
    printf "first frame: %s ms after main() (target 400 ms)\n", first
    if (search != "")
      printf "search, keystroke to list shown: p95 %s ms (target 50 ms)\n", search
    if (filter != "")
      printf "filter chosen to list shown: p95 %s ms, max %s ms (target 50 ms); typing with three filters set: p95 %s ms\n", filter, filter_max, filter_search
    if (sort != "")
      printf "order chosen to list shown: p95 %s ms, max %s ms; typing in the order of names: p95 %s ms\n", sort, sort_max, sort_search
    if (changed != "")
      printf "main loop time to take a new list: p95 %s ms\n", changed
    if (smooth != "")
      printf "scrolling: %s frames a second smoothly, %s through the whole list (target 50; %s ms of the main thread a frame)\n", smooth, whole, whole_cpu
    if (open != "")
      printf "opening a case: p95 %s ms, max %s ms (target 100 ms)\n", open, open_max
    printf "resident memory at most: %.0f MB (target 150 MB)\n", rss / 1024
  }' "$out"
