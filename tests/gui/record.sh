#!/usr/bin/env bash
# --record under Xvfb: 60 frames of the Dashboard at 1280x720 with training running make a clip
# of 2 s (every third frame, 10 a second: 20 frames, fewer where one repeated the frame before),
# which giflib decodes at the window's size, at least two frames, each changing something.
# usage: record.sh BNLAB GIF_CHECK OUT.gif
set -euo pipefail
bnlab=$1 gif_check=$2 out=$3
preload=()
[ -n "${BNLAB_TEST_PRELOAD:-}" ] && preload=(env "LD_PRELOAD=$BNLAB_TEST_PRELOAD")
rm -f "$out"
"$(dirname "$0")/on_xvfb.sh" 1920x1080x24 "${preload[@]}" "$bnlab" --frames 60 --view dashboard --size 1280 \
  --record "$out"
test -s "$out" || { echo "record: $out was not written"; exit 1; }
"$gif_check" "$out" 1280 720 2 20 200
