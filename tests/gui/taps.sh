#!/usr/bin/env bash
# Key taps shorter than a frame are never lost: xdotool presses and releases each key within
# 12 ms (a presenter's clicker does the same), and each tap must take effect.
#   5 × N      five single steps from a paused start
#   2 clicks   on the Step button, 12 ms each          -> the screenshot is named ...step7.png
#   S          a screenshot
#   E          the histories to CSV                 -> bnlab-history-step7.csv, train --csv's header
#   2 × Ctrl + the UI scale 1 -> 1.25               -> saved in ui.toml on exit
#   L          the light theme                       -> saved in ui.toml
#   Ctrl Q     closes the window; exit code 0
# usage: taps.sh BNLAB   (BNLAB_TEST_PRELOAD, if set, is bnlab's LD_PRELOAD alone: see smoke.sh)
set -euo pipefail
bnlab=$(realpath "$1")
command -v xdotool >/dev/null || { echo "taps: xdotool not found (scripts/deps installs it)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/inner.sh" <<'INNER'
set -euo pipefail
bnlab=$1 work=$2
cd "$work"
export XDG_CONFIG_HOME="$work/config" HOME="$work"
preload=()
[ -n "${BNLAB_TEST_PRELOAD:-}" ] && preload=(env "LD_PRELOAD=$BNLAB_TEST_PRELOAD")
"${preload[@]}" "$bnlab" --scene spiral --paused --ui-scale 1 2> "$work/stderr" &
pid=$!
window=$(timeout 30 xdotool search --sync --onlyvisible --name "bnlab" | head -1) || true
[ -n "$window" ] || { echo "taps: no bnlab window appeared"; kill "$pid" 2>/dev/null; exit 1; }
xdotool windowfocus --sync "$window" 2>/dev/null || true
# xdotool again when it could not reach the X server at all (it then sent nothing): in CI, once
# in many runs, one of these short-lived connections was refused while the server ran on.
xdo() {
  local err=''
  for _ in 1 2 3 4 5; do
    err=$(xdotool "$@" 2>&1 >/dev/null) && return 0
    case $err in *"Can't open display"*) sleep 0.2 ;; *) break ;; esac
  done
  echo "$err" >&2
  return 1
}
tap() { xdo keydown "$1"; sleep 0.012; xdo keyup "$1"; sleep 0.25; }
# Wait until frames are being drawn (slow under sanitizers): a screenshot at step 0 proves it,
# and the Step button is then on screen for the clicks below.
tap s
for _ in $(seq 300); do [ -f bnlab-step0.png ] && break; sleep 0.1; done
[ -f bnlab-step0.png ] || { echo "taps: the first screenshot never came"; kill "$pid"; exit 1; }
rm -f bnlab-step0.png
for _ in 1 2 3 4 5; do tap n; done
# The Step button, top left of the control panel at UI scale 1 in the 1600x900 window.
click() { xdo mousemove 165 61 mousedown 1; sleep 0.012; xdo mouseup 1; sleep 0.25; }
click
click
# The steps are done by the training thread and published a moment later (much later under a
# sanitizer): take screenshots until one shows step 7; the last must not show more.
for _ in $(seq 60); do
  tap s
  sleep 0.25
  [ -f bnlab-step7.png ] && break
  sleep 0.25
done
tap e
tap ctrl+equal
tap ctrl+equal
tap l
for _ in $(seq 50); do ls bnlab-step*.png >/dev/null 2>&1 && break; sleep 0.1; done
tap ctrl+q
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then echo "taps: Ctrl+Q did not close the window"; kill "$pid"; exit 1; fi
status=0
wait "$pid" || status=$?
echo "$status" > "$work/exit_code"
INNER

# bnlab's exit code comes through a file, written only when the driver script got that far.
"$(dirname "$0")/on_xvfb.sh" 1600x900x24 bash "$work/inner.sh" "$bnlab" "$work" || true
status=$(cat "$work/exit_code" 2>/dev/null || echo "unknown (the driver script stopped early)")
fail() { echo "taps: $*"; echo "--- stderr:"; cat "$work/stderr" 2>/dev/null; exit 1; }
[ "$status" -eq 0 ] || fail "bnlab exited with $status"
[ -s "$work/stderr" ] && fail "bnlab wrote to stderr"
shots=$(cd "$work" && ls bnlab-step*.png 2>/dev/null | sort -V | tr '\n' ' ' || true)
[ -f "$work/bnlab-step7.png" ] || fail "expected an S tap to save bnlab-step7.png after five N taps and two clicks, found: ${shots}"
last=$(cd "$work" && ls bnlab-step*.png | sort -V | tail -1)
[ "$last" = "bnlab-step7.png" ] || fail "more steps than taps: ${shots}"
csv="$work/bnlab-history-step7.csv"
[ -f "$csv" ] || fail "expected the E tap to write bnlab-history-step7.csv"
head -1 "$csv" | grep -q '^step,net,train_loss,batch_acc,test_loss,test_acc,lr,batch,' || fail "unexpected CSV header: $(head -1 "$csv")"
grep -q '^7,bn,' "$csv" || fail "the CSV has no row for step 7 of the BN net"
saved="$work/config/bnlab/ui.toml"
[ -f "$saved" ] || fail "no $saved written on close"
grep -qx 'ui_scale = 1.25' "$saved" || fail "two Ctrl + taps should give ui_scale = 1.25: $(grep ui_scale "$saved")"
grep -qx 'light_theme = true' "$saved" || fail "the L tap should turn the light theme on: $(grep light_theme "$saved")"
echo "taps: 5 N, 2 clicks, S, E, 2 Ctrl +, L and Ctrl Q taps of 12 ms all took effect"
