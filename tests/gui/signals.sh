#!/usr/bin/env bash
# SIGINT (Ctrl+C in the terminal), SIGTERM and SIGHUP close the window as Ctrl+Q does: within
# 1.5 s of closing work, the view settings saved in ui.toml, exit code 0. A second SIGINT ends
# the process at once (by the default action: 130 from a shell) without waiting for the close.
# A recorded run (--frames) stopped by one exits 128 + its number, and writes no screenshot.
# usage: signals.sh BNLAB   (BNLAB_TEST_PRELOAD, if set, is bnlab's LD_PRELOAD alone: see smoke.sh)
set -euo pipefail
bnlab=$(realpath "$1")
here=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/inner.sh" <<'INNER'
set -uo pipefail
set -m  # job control: background jobs get SIGINT as a terminal's foreground job would
bnlab=$1 work=$2 signals=$3
shift 3
export XDG_CONFIG_HOME="$work/config" HOME="$work"
preload=()
[ -n "${BNLAB_TEST_PRELOAD:-}" ] && preload=(env "LD_PRELOAD=$BNLAB_TEST_PRELOAD")
"${preload[@]}" "$bnlab" --scene spiral --ui-scale 1.25 "$@" 2> "$work/stderr" &
pid=$!
# The window is up (and the frame loop running) once it can be found; without xdotool, wait.
if command -v xdotool >/dev/null; then
  timeout 30 xdotool search --sync --onlyvisible --name "bnlab" >/dev/null || true
  sleep 0.5
else
  sleep 5
fi
start=$(date +%s.%N)
# Two signals: sent while bnlab is stopped, so that both are pending when it resumes (two of one
# kind would merge into one, hence two kinds). The first asks to close, the second must end it.
if [ "$(wc -w <<< "$signals")" -gt 1 ]; then
  kill -s STOP "$pid"
  for sig in $signals; do kill -s "$sig" "$pid"; done
  kill -s CONT "$pid"
else
  kill -s "$signals" "$pid"
fi
status=0
wait "$pid" || status=$?
end=$(date +%s.%N)
echo "$status" > "$work/exit_code"
echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }' > "$work/seconds"
INNER

fail() { echo "signals: $*"; echo "--- stderr:"; cat "$work/stderr" 2>/dev/null; exit 1; }
run() {  # run "SIGNALS" [BNLAB ARGS]: bnlab's exit code and seconds to exit go to $status and $seconds
  rm -rf "$work/config" "$work/exit_code" "$work/seconds"
  "$here/on_xvfb.sh" 1600x900x24 bash "$work/inner.sh" "$bnlab" "$work" "$@" || true
  status=$(cat "$work/exit_code" 2>/dev/null || echo "unknown (the driver script stopped early)")
  seconds=$(cat "$work/seconds" 2>/dev/null || echo "?")
  echo "signals: $1 -> exit $status after ${seconds} s"
}
saved="$work/config/bnlab/ui.toml"
for sig in INT TERM HUP; do
  run "$sig"
  [ "$status" = 0 ] || fail "SIG$sig: expected exit code 0 (closed as by Ctrl+Q), got $status"
  awk -v s="$seconds" 'BEGIN { exit !(s < 3.0) }' || fail "SIG$sig: took ${seconds} s to close"
  [ -f "$saved" ] || fail "SIG$sig: no $saved written on close"
  grep -qx 'ui_scale = 1.25' "$saved" || fail "SIG$sig: the view settings were not saved: $(cat "$saved")"
  [ -s "$work/stderr" ] && fail "SIG$sig: bnlab wrote to stderr"
done
run "INT TERM"
[ "$status" = 130 ] || [ "$status" = 143 ] || fail "a second signal: expected it to end bnlab at once (exit 130 or 143, the default action), got $status"
[ -f "$saved" ] && fail "a second signal: ui.toml was saved (it should end the process at once)"
# A recorded run stopped before its last frame: 128 + the signal, no screenshot, nothing beside it.
run TERM --frames 1000000 --screenshot "$work/shot.png"
[ "$status" = 143 ] || fail "--frames stopped by SIGTERM: expected exit 143, got $status"
[ -e "$work/shot.png" ] && fail "--frames stopped by SIGTERM: a screenshot was written"
ls -A "$work" | grep -q 'shot\.png' && fail "--frames stopped by SIGTERM: a temporary file was left: $(ls -A "$work")"
grep -q 'stopped by signal 15 before the last frame' "$work/stderr" || fail "--frames stopped by SIGTERM: no line saying so"
echo "signals: SIGINT, SIGTERM and SIGHUP closed the window and saved ui.toml; a second signal ended it at once"
