#!/bin/sh
# bench-first-frame.sh: the window's first frame and resident memory on a million demo cases
#
# Copyright 2026 The Awda developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-first-frame.sh AWDA AWDA-CLI DATABASE [RUNS]
#
# $AWDA_BENCH_DATABASE, when set, stands for DATABASE. Makes DATABASE with `awda-cli demo --cases 1000000` when it is not there
# (once: it takes a while, and is kept for the next runs), then starts the
# program RUNS times (5 by default) with AWDA_PROFILE=1 AWDA_PROFILE_QUIT=1,
# which prints the milliseconds from main() to the first frame and to the
# first frame that shows the list, and the resident memory. The first run
# warms the disk cache and is not counted. Needs a display (run it under
# tools/with-display).

set -eu

if [ $# -lt 3 ]; then
  echo "Usage: $0 AWDA AWDA-CLI DATABASE [RUNS]" >&2
  exit 1
fi

awda=$1
cli=$2
db=${AWDA_BENCH_DATABASE:-$3}
runs=${4:-5}
cases=${AWDA_BENCH_CASES:-1000000}

if [ ! -e "$db" ]; then
  echo "Creating $db with $cases demo cases, once: this takes a while."
  mkdir -p "$(dirname "$db")"
  part="$db.part"
  rm -f "$part" "$part-wal" "$part-shm"
  "$cli" --database "$part" init --site-name "Plateforme centrale" \
    --site-kind central --governorate TN-11 >/dev/null
  "$cli" --database "$part" demo --cases "$cases" --seed 1
  # awda-cli checkpoints the WAL when it closes; only then is the file whole.
  if [ -e "$part-wal" ]; then
    echo "$part-wal is still there: the demo did not close cleanly." >&2
    exit 1
  fi
  mv "$part" "$db"
fi

profile () {
  AWDA_PROFILE=1 AWDA_PROFILE_QUIT=1 timeout 120 "$awda" --database "$db"
}

# Warm-up: the disk cache, the fonts, the shaders.
profile >/dev/null

out=$(mktemp)
trap 'rm -f "$out"' EXIT
i=1
while [ "$i" -le "$runs" ]; do
  profile | tee -a "$out"
  i=$((i + 1))
done

awk -F'[= ]' '
  function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++)
      for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  /first-frame-ms=/ { ff[++nff] = $3 }
  /list-ready-ms=/ { lr[++nlr] = $3; n = $5 }
  /vm-hwm-kb=/ { if ($5 > hwm) hwm = $5 }
  END {
    if (nff == 0 || nlr == 0) { print "no figures: did the program start?"; exit 1 }
    printf "cases listed: %d\n", n
    printf "first frame: median %.0f ms after main() (%d runs; target 400 ms)\n", median(ff, nff), nff
    printf "list shown: median %.0f ms after main()\n", median(lr, nlr)
    printf "peak resident memory: %.0f MB (target 150 MB)\n", hwm / 1024
  }' "$out"
