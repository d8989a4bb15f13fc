#!/usr/bin/env bash
# A recorded run's outputs that cannot be written: the --screenshot PNG and the --record GIF on a
# disk that fills up (writes past 8 KiB fail, for bnlab alone) and in a read-only folder, and what
# --frame-stats and --layout-report print, sent to /dev/full. Each is one line on stderr naming the
# output and exit code 2; the old file stays as it was and nothing is left beside it.
# usage: outputs.sh BNLAB   (BNLAB_TEST_PRELOAD, if set, is bnlab's LD_PRELOAD alone: see smoke.sh)
set -euo pipefail
bnlab=$(realpath "$1")
here=$(dirname "$0")
work=$(mktemp -d)
folder="$work/out"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
preload=()
[ -n "${BNLAB_TEST_PRELOAD:-}" ] && preload=(env "LD_PRELOAD=$BNLAB_TEST_PRELOAD")

fail() { echo "outputs: $*"; echo "--- stderr:"; cat "$work/stderr" 2>/dev/null; exit 1; }

# run HOW STDOUT [BNLAB ARGS]: three frames of the spiral on an X server of its own; HOW is
# "full" (writes beyond 8 KiB fail with EFBIG: ulimit -f, SIGXFSZ ignored), "read-only" ($folder
# cannot change: a read-only bind mount as root, chmod 0555 otherwise) or "plain".
run() {
  local how=$1 out=$2
  shift 2
  local xvfb=("$here/on_xvfb.sh" 1280x720x24)
  local command=("${preload[@]}" "$bnlab" --frames 3 --scene spiral --size 1280 "$@")
  status=0
  case $how in
    full)
      "${xvfb[@]}" bash -c 'ulimit -f 8 && trap "" XFSZ && exec "$@"' full "${command[@]}" >"$out" 2>"$work/stderr" ||
        status=$?
      ;;
    read-only)
      if [ "$(id -u)" = 0 ]; then
        unshare -m bash -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"' \
          read-only "$folder" "${xvfb[@]}" "${command[@]}" >"$out" 2>"$work/stderr" || status=$?
      else
        chmod 0555 "$folder"
        "${xvfb[@]}" "${command[@]}" >"$out" 2>"$work/stderr" || status=$?
        chmod 0755 "$folder"
      fi
      ;;
    *) "${xvfb[@]}" "${command[@]}" >"$out" 2>"$work/stderr" || status=$? ;;
  esac
}

# expect_one_line NEEDLE: exit 2 and one line on stderr holding NEEDLE.
expect_one_line() {
  [ "$status" = 2 ] || fail "$case: expected exit code 2, got $status"
  [ "$(wc -l < "$work/stderr")" = 1 ] || fail "$case: expected one line on stderr"
  grep -qF -- "$1" "$work/stderr" || fail "$case: the line does not say: $1"
  echo "outputs: $case -> exit 2: $(cat "$work/stderr")"
}

for output in screenshot:shot.png record:clip.gif; do
  flag=--${output%%:*} name=${output#*:}
  path="$folder/$name"
  for how in full read-only; do
    case="$flag, $how"
    rm -rf "$folder"
    mkdir -p "$folder"
    printf 'the old file, whole\n' | tee "$work/old" > "$path"
    run "$how" /dev/null "$flag" "$path"
    expect_one_line "bnlab: $flag: cannot write '$path': "
    cmp -s "$work/old" "$path" || fail "$case: the old file changed"
    [ "$(ls -A "$folder")" = "$name" ] || fail "$case: a file left beside it: $(ls -A "$folder")"
  done
done
# The same runs without confinement write their files (so the failures above are the disk's).
rm -rf "$folder"
mkdir -p "$folder"
case="--screenshot and --record on a plain folder"
run plain /dev/null --screenshot "$folder/shot.png" --record "$folder/clip.gif"
[ "$status" = 0 ] || fail "$case: exit $status"
[ "$(ls -A "$folder" | tr '\n' ' ')" = "clip.gif shot.png " ] || fail "$case: wrote $(ls -A "$folder")"
[ "$(head -c 4 "$folder/shot.png" | tail -c 3)" = PNG ] || fail "$case: shot.png is not a PNG"
[ "$(head -c 3 "$folder/clip.gif")" = GIF ] || fail "$case: clip.gif is not a GIF"

for flag in --frame-stats --layout-report; do
  case="$flag > /dev/full"
  run plain /dev/full "$flag"
  expect_one_line "bnlab: cannot write to stdout"
done
echo "outputs: every unwritable output was named, exit 2, the old files intact"
