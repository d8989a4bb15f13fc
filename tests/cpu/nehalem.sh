#!/usr/bin/env bash
# The portable build on a CPU without AVX (qemu-x86_64 -cpu Nehalem, package qemu-user): the
# loader picks the baseline engine, `bnlab --version` and `bnlab train --json` say so, and a few
# steps of training run with no illegal instruction. As a control, the x86-64-v4 engine forced
# on the same CPU must die of SIGILL, which shows the emulated CPU really lacks AVX-512.
#   nehalem.sh QEMU BNLAB LIB_DIR      (LIB_DIR: the build's lib/bnlab)
set -euo pipefail
qemu=$1 bnlab=$2 libs=$3
fail() { echo "nehalem: $*" >&2; exit 1; }
run() { "$qemu" -cpu Nehalem "$@"; }

version=$(run "$bnlab" --version) || fail "bnlab --version failed under Nehalem (exit $?)"
[[ "$version" == *"(cpu level: baseline)" ]] || fail "bnlab --version printed '$version', expected the baseline level"

out=$(run "$bnlab" train --dataset spiral --steps 10 --eval-every 5 --quiet --json) ||
  fail "bnlab train failed under Nehalem (exit $?)"
grep -q '"cpu_level":"baseline"' <<<"$out" || fail "bnlab train --json does not record the baseline level: $out"

if err=$(BNLAB_CPU=v3 run "$bnlab" --version 2>&1); then
  fail "BNLAB_CPU=v3 was accepted on a CPU without AVX2: $err"
fi
[[ "$err" == *"BNLAB_CPU=v3: this CPU supports baseline at most"* ]] || fail "BNLAB_CPU=v3 said '$err'"

status=0
LD_LIBRARY_PATH=$libs/glibc-hwcaps/x86-64-v4 run "$bnlab" train --dataset spiral --steps 2 --quiet \
  > /dev/null 2>&1 || status=$?
[ "$status" -eq 132 ] || fail "the control: the v4 engine forced under Nehalem ended with $status, not SIGILL (132)"
echo "nehalem: ok ($version)"
