#!/usr/bin/env bash
# GUI smoke test: render a view under Xvfb with training running, save it, check the PNG.
# usage: smoke.sh BNLAB PNG_CHECK VIEW OUT.png [extra bnlab flags...]
# SMOKE_NEED_COLORS=0 skips the check for the Plain and the BN colour (a view that shows them
# only once a background measurement has arrived); SMOKE_NEED_RGB="R,G,B ..." asks png_check
# for more than a few hundred pixels of each colour. BNLAB_TEST_PRELOAD, if set, is bnlab's
# LD_PRELOAD alone (scripts/test: the ASan build keeps Mesa's driver loaded).
set -euo pipefail
bnlab=$1 png_check=$2 view=$3 out=$4
shift 4
preload=()
[ -n "${BNLAB_TEST_PRELOAD:-}" ] && preload=(env "LD_PRELOAD=$BNLAB_TEST_PRELOAD")
rm -f "$out"
"$(dirname "$0")/on_xvfb.sh" 1920x1080x24 "${preload[@]}" "$bnlab" --frames 90 --view "$view" --screenshot "$out" "$@"
test -s "$out" || { echo "smoke: $out was not written"; exit 1; }
checks=()
[ "${SMOKE_NEED_COLORS:-1}" = 0 ] || checks+=(--need-colors)
for rgb in ${SMOKE_NEED_RGB:-}; do checks+=(--need-rgb "$rgb"); done
"$png_check" "$out" "${checks[@]}"
