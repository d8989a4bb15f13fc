#!/usr/bin/env bash
# GUI robustness ("chaos") test: drive bnlab's window under Xvfb with a seeded random sequence
# of clicks, drags, wheel turns, keys, Ctrl +/-, absurd text in fields (Ctrl+click turns an
# ImGui slider into one), tiny window sizes and unmapping; then close it as a window manager
# would. First the default scene, then the spiral on its decision boundary (the 2-D paths),
# which also loads the view settings the first run saved.
# It fails when bnlab dies, writes anything to stderr, grows past an RSS bound, does not
# exit with 0 soon after the close request, or did not save its view settings.
# usage: chaos.sh BNLAB
#   CHAOS_SECONDS  driving time in all, 2/3 default scene and 1/3 spiral (default 60)
#   CHAOS_SEED     replays a run's sequence of actions (the timing is the machine's)
#   CHAOS_RSS_MB   RSS bound in MB (default 3072, see below)
#   CHAOS_CLOSE_SECONDS  how long bnlab may take to exit once asked (default 10)
#   CHAOS_KEEP=1   keeps the temporary directory (logs, screenshots, ui.toml)
#   BNLAB_TEST_PRELOAD  bnlab's LD_PRELOAD alone (scripts/test: the ASan build keeps Mesa's driver loaded)
set -uo pipefail
# On an X server of its own (tests/gui/on_xvfb.sh): xdotool and bnlab share its DISPLAY.
if [ -z "${CHAOS_ON_XVFB:-}" ]; then
  exec "$(dirname "$0")/on_xvfb.sh" 1600x900x24 env CHAOS_ON_XVFB=1 "$0" "$@"
fi
bnlab=$(realpath "$1")  # it runs from a temporary directory
[ -x "$bnlab" ] || { echo "chaos: $1 is not an executable"; exit 1; }
preload=()
[ -n "${BNLAB_TEST_PRELOAD:-}" ] && preload=(env "LD_PRELOAD=$BNLAB_TEST_PRELOAD")
seconds=${CHAOS_SECONDS:-60}
seed=${CHAOS_SEED:-$(( $(od -An -N4 -tu4 /dev/urandom) % 2147483648 ))}
# The default scene holds Fashion-MNIST (~360 MB as floats); chaos runs peaked at 380-530 MB
# (Release) and 840 MB (ASan). The most a run may legitimately reach is a batch of the whole
# training set (a typed 100000 in the batch slider is clamped to 60 000): 1.7 GB measured
# (Release), ASan adds its shadow and quarantine. 3 GB is that with room to spare; it catches
# memory that grows by megabytes per action or frame, and the ASan run's leak check the rest.
rss_limit_kb=$(( ${CHAOS_RSS_MB:-3072} * 1024 ))
for tool in xdotool python3; do
  command -v "$tool" >/dev/null || { echo "chaos: $tool not found (scripts/deps installs it)"; exit 1; }
done

work=$(mktemp -d)
pid=''
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  if [ "${CHAOS_KEEP:-0}" = 1 ]; then echo "chaos: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
# Never the user's settings: bnlab saves its view to $XDG_CONFIG_HOME/bnlab/ui.toml.
mkdir -p "$work/config" "$work/home" "$work/cwd"
export XDG_CONFIG_HOME=$work/config HOME=$work/home

echo "chaos: seed $seed, ${seconds} s (replay with CHAOS_SEED=$seed)"
RANDOM=$seed
rss_peak=0 actions=0 wid='' width=1600 height=900

# xdotool's own complaints (e.g. focusing an unmapped window) go to a log, not to the verdict.
x() { xdotool "$@" >/dev/null 2>>"$work/xdotool.log"; }
# A key (or chord) held for a few frames: ImGui 1.86 reads keys as held-down state once per
# frame, so a press and release within one frame is never seen (a click is: the GLFW backend
# latches it). CHAOS_HOLD sets the hold for slow builds (default 0.06 s).
hold=${CHAOS_HOLD:-0.06}
tap() { x keydown "$1" sleep "$hold" keyup "$1" sleep "$hold"; }
log() { echo "$*" >>"$work/actions.log"; }
# Sets $picked to one of its arguments; never in a $(...): bash reseeds RANDOM in subshells.
pick() { local a=("$@"); picked=${a[RANDOM % ${#a[@]}]}; }

fail() {
  echo "chaos: FAIL: $*"
  echo "chaos: seed $seed; replay with CHAOS_SEED=$seed $0 $bnlab"
  echo "--- last actions:"; tail -n 25 "$work/actions.log" 2>/dev/null
  echo "--- bnlab stderr:"; cat "$work"/stderr.* 2>/dev/null
  if [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null; fi
  pid=''
  exit 1
}

# Sets $state (R, S, Z, ...; empty once reaped) and $rss (kB) of bnlab from /proc.
read_status() {
  local key value _
  state='' rss=0
  while read -r key value _; do
    case $key in State:) state=$value ;; VmRSS:) rss=$value ;; esac
  done 2>/dev/null <"/proc/$pid/status"
}

# Alive (not a zombie), nothing on stderr, RSS within the bound.
check() {
  read_status
  if [ -z "$state" ] || [ "$state" = Z ]; then
    wait "$pid"; local code=$?
    pid=''
    fail "bnlab died (exit code $code$( [ $code -gt 128 ] && echo ", signal $((code - 128))"))"
  fi
  [ -s "$work/stderr.$phase" ] && fail "bnlab wrote to stderr"
  [ "$rss" -gt "$rss_peak" ] && rss_peak=$rss
  [ "$rss" -le "$rss_limit_kb" ] || fail "RSS $((rss / 1024)) MB is above the bound $((rss_limit_kb / 1024)) MB"
}

# A point in the window: often in the controls column (left ~22%) or the view tabs, where the
# widgets are, otherwise anywhere.
point() {
  case $((RANDOM % 10)) in
    0|1|2|3) px=$((RANDOM % (width * 22 / 100 + 1))) py=$((RANDOM % height)) ;;
    4) px=$((RANDOM % width)) py=$((RANDOM % 40)) ;;
    *) px=$((RANDOM % width)) py=$((RANDOM % height)) ;;
  esac
}

long_a=$(printf 'A%.0s' {1..300})
long_9=$(printf '9%.0s' {1..200})
many_layers=$(printf '1,%.0s' {1..80})1
texts=(99999999999999999999 -1 0 -0 nan -nan inf -inf 1e308 -1e308 1e-45 4294967297 18446744073709551616
       2147483648 -2147483649 0x7fffffff 1e . ',' ',,,,' '1,2,,3' '100000,100000,100000' "$many_layers"
       '%s%s%n%x' 'ε σ² μ_B 日本語 Ünïcødé' '😀' ' ' "$long_a" "$long_9" '-1,-1' '1;2' '3.5,2')
keys=(space n r s Tab ISO_Left_Tab Return Escape Up Down Left Right Prior Next Home End F11 BackSpace
      Delete a z q w 0 1 5 9 minus equal ctrl+a shift+Tab alt+F4 KP_Enter)

act() {
  local b n s w h r mod end
  actions=$((actions + 1))
  point
  printf -v r '%02d' $((RANDOM % 100))
  case $r in
    [0-2][0-9])  # 0-29: a click (left mostly)
      pick 1 1 1 1 2 3; b=$picked; log "click $b at $px,$py"
      x mousemove --window "$wid" "$px" "$py" click "$b" ;;
    3[0-9])  # a drag
      pick 1 1 1 2 3; b=$picked; local qx=$px qy=$py; point
      log "drag $b $qx,$qy -> $px,$py"
      x mousemove --window "$wid" "$qx" "$qy" mousedown "$b" mousemove --window "$wid" $(((qx + px) / 2)) $(((qy + py) / 2))
      sleep 0.05
      x mousemove --window "$wid" "$px" "$py" mouseup "$b" ;;
    4[0-7])  # the wheel
      pick 4 5; b=$picked; n=$((RANDOM % 5 + 1)); log "wheel $b x$n at $px,$py"
      x mousemove --window "$wid" "$px" "$py" click --repeat "$n" "$b" ;;
    4[89]|[56][0-9])  # 48-69: a key
      pick "${keys[@]}"; s=$picked; log "key $s"
      tap "$s" ;;
    7[0-5])  # UI scale, past its limits (0.5..3) as often as not
      pick ctrl+plus ctrl+equal ctrl+minus ctrl+KP_Add ctrl+KP_Subtract; s=$picked; n=$((RANDOM % 6 + 1))
      log "key $s x$n"
      for ((; n > 0; n--)); do tap "$s"; done ;;
    7[6-9]|8[0-7])  # 76-87: absurd text in whatever field is there (Ctrl+click edits a slider)
      pick "${texts[@]}"; s=$picked; pick '' ctrl; mod=$picked; pick Return Return Tab Escape KP_Enter; end=$picked
      log "text ${mod:+$mod+}click at $px,$py, type '${s:0:40}', $end"
      if [ -n "$mod" ]; then
        x mousemove --window "$wid" "$px" "$py" keydown ctrl sleep "$hold" click 1 sleep "$hold" keyup ctrl
      else
        x mousemove --window "$wid" "$px" "$py" click 1
      fi
      sleep "$hold"
      tap ctrl+a
      x type --delay 2 -- "$s"
      tap "$end" ;;
    8[89]|9[0-2])  # 88-92: a tiny or odd window size for a moment, then a normal one
      pick "1 1" "50 30" "2 900" "1600 1" "300 200" "640 360" "10 10"; s=$picked
      log "resize $s"
      x windowsize "$wid" $s
      sleep 0.$((RANDOM % 8 + 1))
      check
      # A click or key while tiny.
      x mousemove --window "$wid" 0 0 click 1; tap space
      pick 1600 1280 800 1600; w=$picked; h=$((w * 9 / 16)); log "resize $w $h"
      x windowsize "$wid" "$w" "$h"; width=$w height=$h ;;
    9[34])  # minimize (a no-op without a window manager), then unmap and map again
      log "minimize, unmap, map"
      x windowminimize "$wid"
      x windowunmap "$wid"
      sleep 0.$((RANDOM % 8 + 1))
      tap n
      x windowmap "$wid"; x windowraise "$wid"; x windowfocus "$wid" ;;
    *)  # let it train and draw
      log "wait"; sleep 0.$((RANDOM % 5 + 1)) ;;
  esac
  sleep 0.0$((RANDOM % 8 + 2))
}

# Asks the window to close the way a window manager's close button does (WM_DELETE_WINDOW);
# xdotool's windowclose destroys the window under the client instead, and bnlab would not
# run its normal exit (saving the view settings).
close_window() {
  python3 - "$1" <<'PY'
import ctypes, sys
x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XInternAtom.restype = ctypes.c_ulong
x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
x11.XFlush.argtypes = x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
class ClientMessage(ctypes.Structure):  # XClientMessageEvent, padded to sizeof(XEvent)
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5), ("pad", ctypes.c_long * 12)]
display = x11.XOpenDisplay(None)
window = int(sys.argv[1])
event = ClientMessage(type=33, window=window, format=32,
                      message_type=x11.XInternAtom(display, b"WM_PROTOCOLS", 0))
event.data[0] = x11.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
x11.XSendEvent(display, window, 0, 0, ctypes.byref(event))
x11.XFlush(display)
x11.XCloseDisplay(display)
PY
}

# One bnlab run: start, drive for $1 seconds, close, check the exit.
drive() {
  local secs=$1 start=$SECONDS deadline
  shift
  phase=$((phase + 1))
  echo "chaos: run $phase: bnlab $* for ${secs} s"
  (cd "$work/cwd" && exec "${preload[@]}" "$bnlab" "$@") >"$work/stdout.$phase" 2>"$work/stderr.$phase" &
  pid=$!
  wid=''
  for _ in $(seq 120); do
    wid=$(xdotool search --onlyvisible --name '^bnlab: ' 2>>"$work/xdotool.log" | head -n 1)
    [ -n "$wid" ] && break
    check
    sleep 0.5
  done
  [ -n "$wid" ] || fail "no bnlab window within 60 s"
  x windowfocus "$wid"
  read -r width height < <(xdotool getwindowgeometry --shell "$wid" | awk -F= '/WIDTH|HEIGHT/ {printf "%s ", $2}')
  deadline=$((SECONDS + secs))
  while [ $SECONDS -lt $deadline ]; do
    act
    check
  done
  # Close from a normal size and let a frame or two pass, as a user would.
  x windowsize "$wid" 1280 720; x windowmap "$wid"
  sleep 0.5
  check
  log "close"
  local asked=$SECONDS code
  close_window "$wid" || fail "could not send WM_DELETE_WINDOW"
  for _ in $(seq $((${CHAOS_CLOSE_SECONDS:-10} * 10))); do
    read_status
    [ -z "$state" ] || [ "$state" = Z ] && break
    sleep 0.1
  done
  [ -z "$state" ] || [ "$state" = Z ] || fail "bnlab did not exit within ${CHAOS_CLOSE_SECONDS:-10} s of the close request"
  wait "$pid"; code=$?
  pid=''
  [ "$code" -eq 0 ] || fail "bnlab exited with $code after the close request"
  [ -s "$work/stderr.$phase" ] && fail "bnlab wrote to stderr"
  grep -q '^view = ' "$XDG_CONFIG_HOME/bnlab/ui.toml" 2>/dev/null || fail "no view settings saved in $XDG_CONFIG_HOME/bnlab/ui.toml"
  echo "chaos: run $phase: $actions actions so far, closed in $((SECONDS - asked)) s, exit 0, $((SECONDS - start)) s in all"
}

phase=0
drive $((seconds * 2 / 3))
drive $((seconds - seconds * 2 / 3)) --scene spiral --view boundary
echo "chaos: PASS: seed $seed, $actions actions, peak RSS $((rss_peak / 1024)) MB (bound $((rss_limit_kb / 1024)) MB), $(ls "$work/cwd" | wc -l) screenshots"
