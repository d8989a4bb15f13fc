#!/usr/bin/env bash
# An unwritable screenshot or clip path is a clear one-line error and exit code 2, before any window.
set -uo pipefail
bnlab=$1
err=$("$bnlab" --frames 1 --screenshot /nonexistent-dir/shot.png 2>&1 >/dev/null)
code=$?
echo "exit $code: $err"
[ "$code" -eq 2 ] || { echo "expected exit code 2"; exit 1; }
[[ "$err" == *"/nonexistent-dir/shot.png"* ]] || { echo "message does not name the path"; exit 1; }
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || { echo "expected one line"; exit 1; }
err=$("$bnlab" --view nosuch --frames 1 2>&1 >/dev/null)
code=$?
echo "exit $code: $err"
[ "$code" -eq 2 ] && [[ "$err" == *"--view"* ]] || { echo "--view nosuch: expected exit 2 naming --view"; exit 1; }
err=$("$bnlab" --frames 1 --record /nonexistent-dir/clip.gif 2>&1 >/dev/null)
code=$?
echo "exit $code: $err"
[ "$code" -eq 2 ] || { echo "--record: expected exit code 2"; exit 1; }
[[ "$err" == *"--record"*"/nonexistent-dir/clip.gif"* ]] || { echo "--record: message does not name the path"; exit 1; }
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || { echo "--record: expected one line"; exit 1; }
