#!/usr/bin/env bash
# The layout test: each view named is drawn whole in the window, nothing of it scrolls, no
# legend covers its plot's text or newest data, and no plot draws text smaller than the body
# font. bnlab runs under Xvfb for some frames with training on and prints, after the last
# (--layout-report), every window's scroll range and a line per plot (plot/plot_record.h):
# any window or child of the view area (ImGui's "views" window and what it holds) that could
# scroll fails the test, with its name and range, and so does any "plot-fail:" line.
#
# An entry "pause=SCENE" runs the scene (assets/scenes/SCENE.toml, its own view) as fast as it
# goes, from a copy with speed = 0, until its first pause point, where the pause caption's bar
# takes the foot of the view (the presentation layout), and a few frames more (bnlab --until):
# that bar must be on screen after the last frame, or the test fails as not having reached the
# pause within FIT_PAUSE_FRAMES (600) frames.
# VIEW@FRAMES runs that view FRAMES frames instead of 60 (a view whose plots fill in later);
# VIEW+WORD runs it until a plot whose title has WORD in it is drawn, and a few frames more
# (within 60, or FRAMES, frames; else the test fails): the layout that matters, e.g. Batch-size
# noise once its sweep has curves (until then it draws another).
# usage: fit.sh BNLAB "VIEW[@FRAMES][+WORD][:FLAG...] | pause=SCENE ..." [bnlab flags for every view...]
set -euo pipefail
bnlab=$1 views=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
scenes="$here/../../assets/scenes"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
for entry in $views; do
  args=()
  frames=60
  needs=
  if [[ $entry == pause=* ]]; then
    scene=${entry#pause=}
    sed -E 's/^speed *=.*/speed = 0/' "$scenes/$scene.toml" >"$work/$scene.toml"
    args=(--scene "$work/$scene.toml" --until "##caption_bar")
    frames=${FIT_PAUSE_FRAMES:-600}
  else
    view=${entry%%:*}
    if [ "$entry" != "$view" ]; then
      IFS=: read -r -a extra <<<"${entry#*:}"
      args+=("${extra[@]}")
    fi
    if [[ $view == *+* ]]; then
      needs=${view#*+}
      view=${view%%+*}
    fi
    if [[ $view == *@* ]]; then
      frames=${view#*@}
      view=${view%@*}
    fi
    args+=(--view "$view")
    [ -z "$needs" ] || args+=(--until "$needs")
  fi
  report=$("$here/on_xvfb.sh" 1920x1080x24 "$bnlab" --frames "$frames" --layout-report "${args[@]}" "$@")
  problems=$(awk '$1 == "layout:" && $2 != "window" && $2 ~ /\/views_/ && ($5 != 0 || $6 != 0) {print $2, "scrolls by", $5, $6}
                  $1 == "plot-fail:" {sub(/^plot-fail: /, ""); print}' <<<"$report")
  if [[ $entry == pause=* ]] && ! grep -q '^layout: [^ ]*##caption_bar' <<<"$report"; then
    problems=${problems:+$problems$'\n'}"no pause caption on screen after $frames frames (the pause point was not reached)"
  fi
  if [ -n "$needs" ] && ! grep -q "^plot: \"[^\"]*$needs" <<<"$report"; then
    problems=${problems:+$problems$'\n'}"no plot titled with '$needs' within $frames frames (not the layout this entry checks)"
  fi
  if [ -n "$problems" ]; then
    echo "fit: $entry ($*) does not fit:"
    sed 's/^/  /' <<<"$problems"
    failed=1
  else
    echo "fit: $entry ($*): whole, nothing scrolls, no legend over text or newest data"
  fi
done
exit $failed
