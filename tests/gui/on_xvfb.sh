#!/usr/bin/env bash
# Runs a command with DISPLAY set to an X server of its own, and returns the command's exit code.
# usage: on_xvfb.sh WIDTHxHEIGHTxDEPTH COMMAND [ARGS...]
# Xvfb chooses a free display itself and writes its number once it accepts connections
# (-displayfd), with no authority file to lose: xvfb-run -a picks a number before its server is
# up, keeps the cookie in a temporary file that every new client reads, and now and then fails
# to clean that up, which replaces the command's exit code with its own. If the server dies
# while the command runs, its log is printed.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: on_xvfb.sh WIDTHxHEIGHTxDEPTH COMMAND [ARGS...]" >&2; exit 2; }
screen=$1
shift
command -v Xvfb >/dev/null || { echo "on_xvfb: Xvfb not found (scripts/deps installs the xvfb package)" >&2; exit 1; }
work=$(mktemp -d)
Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 300); do
  [ -s "$work/display" ] && break
  kill -0 "$xvfb" 2>/dev/null || break
  sleep 0.05
done
[ -s "$work/display" ] || { echo "on_xvfb: Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
DISPLAY=:$(head -n 1 "$work/display")
export DISPLAY
status=0
"$@" || status=$?
kill -0 "$xvfb" 2>/dev/null || { echo "on_xvfb: Xvfb ended before the command did:" >&2; cat "$work/xvfb.log" >&2; }
exit "$status"
