#!/usr/bin/env bash
# Runs a command with DISPLAY set to an X server of its own, and returns the command's exit code.
# usage: on_xvfb.sh WIDTHxHEIGHTxDEPTH COMMAND [ARGS...]
# Not xvfb-run: it keeps the server's cookie in a temporary file that every new client reads and
# now and then fails to clean that up, which replaces the command's exit code with its own; and
# in a clean-clone run, on the display :0 that the previous test's server had just given up, a
# GUI test could not open its display. Here the server takes a display number drawn at random
# (100-999; another one if that is taken), runs with no authority file, writes its number once
# it accepts connections (-displayfd), and a client must then connect before the command runs;
# else another server is started, up to five times. If the server dies while the command runs,
# its log is printed.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: on_xvfb.sh WIDTHxHEIGHTxDEPTH COMMAND [ARGS...]" >&2; exit 2; }
screen=$1
shift
command -v Xvfb >/dev/null || { echo "on_xvfb: Xvfb not found (scripts/deps installs the xvfb package)" >&2; exit 1; }
work=$(mktemp -d)
xvfb=''
stop_server() {
  if [ -n "$xvfb" ]; then kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; fi
  xvfb=''
}
trap 'stop_server; rm -rf "$work"' EXIT
# True once an X client can open $DISPLAY (libX11 through Python's ctypes: no extra package).
can_connect() {
  python3 - <<'PY'
import ctypes, ctypes.util, sys
x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
display = x11.XOpenDisplay(None)
if display:
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay(display)
sys.exit(0 if display else 1)
PY
}
ready=0
for attempt in 1 2 3 4 5; do
  : >"$work/display"
  Xvfb ":$((100 + RANDOM % 900))" -displayfd 3 -screen 0 "$screen" -nolisten tcp 3>"$work/display" \
    >>"$work/xvfb.log" 2>&1 &
  xvfb=$!
  for _ in $(seq 300); do
    [ -s "$work/display" ] && break
    kill -0 "$xvfb" 2>/dev/null || break
    sleep 0.05
  done
  if [ -s "$work/display" ]; then
    DISPLAY=:$(head -n 1 "$work/display")
    export DISPLAY
    for _ in $(seq 50); do
      if can_connect 2>/dev/null; then ready=1; break; fi
      sleep 0.1
    done
  fi
  [ "$ready" = 1 ] && break
  stop_server
done
[ "$ready" = 1 ] || { echo "on_xvfb: Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
status=0
"$@" || status=$?
kill -0 "$xvfb" 2>/dev/null || { echo "on_xvfb: Xvfb ended before the command did:" >&2; cat "$work/xvfb.log" >&2; }
exit "$status"
