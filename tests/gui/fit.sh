#!/usr/bin/env bash
# The layout test: each view named is drawn whole in the window, nothing of it scrolls. bnlab
# runs under Xvfb for some frames with training on, prints every window's scroll range after
# the last (--layout-report), and any window or child of the view area (ImGui's "views"
# window and what it holds) that could scroll fails the test, with its name and range.
# usage: fit.sh BNLAB "VIEW[:FLAG:VALUE...] ..." [bnlab flags for every view...]
set -euo pipefail
bnlab=$1 views=$2
shift 2
failed=0
for entry in $views; do
  view=${entry%%:*}
  extra=()
  [ "$entry" != "$view" ] && IFS=: read -r -a extra <<<"${entry#*:}"
  report=$("$(dirname "$0")/on_xvfb.sh" 1920x1080x24 "$bnlab" --frames 60 --layout-report --view "$view" \
             "${extra[@]}" "$@")
  scrolling=$(awk '$1 == "layout:" && $2 != "window" && $2 ~ /\/views_/ && ($5 != 0 || $6 != 0) {print $2, "scrolls by", $5, $6}' \
                <<<"$report")
  if [ -n "$scrolling" ]; then
    echo "fit: $view ($*) does not fit: $scrolling"
    failed=1
  else
    echo "fit: $view ($*): whole, nothing scrolls"
  fi
done
exit $failed
