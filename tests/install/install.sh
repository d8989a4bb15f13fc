#!/usr/bin/env bash
# cmake --install into a temporary prefix: the installed binary prints its version, trains
# headless, loads a scene from <prefix>/share/bnlab/scenes (and only from there: it never reads
# the source tree's), and the desktop entry, icon, AppStream metadata and man page are in place.
#   install.sh BUILD_DIR VERSION
set -euo pipefail
build=$1 version=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "install: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" > "$prefix/install.log" || { cat "$prefix/install.log"; fail "cmake --install failed"; }
bin=$prefix/bin/bnlab
[ -x "$bin" ] || fail "no bin/bnlab"
for command in "" train noise; do
  # shellcheck disable=SC2086
  out=$("$bin" $command --version) || fail "bnlab $command --version failed"
  [[ "$out" == "bnlab $version (cpu level: "*")" ]] ||
    fail "bnlab $command --version printed '$out', expected 'bnlab $version (cpu level: ...)'"
done
# A build with one engine per x86-64 level installs the three under lib*/bnlab; the installed
# binary finds them there and can be told to run the baseline.
if [ -d "$build/lib/bnlab/glibc-hwcaps" ]; then
  for level in "" /glibc-hwcaps/x86-64-v3 /glibc-hwcaps/x86-64-v4; do
    compgen -G "$prefix/lib*/bnlab$level/libbnlab_engine.so" > /dev/null || fail "no lib*/bnlab$level/libbnlab_engine.so"
  done
  out=$(BNLAB_CPU=baseline "$bin" --version) || fail "BNLAB_CPU=baseline bnlab --version failed"
  [ "$out" = "bnlab $version (cpu level: baseline)" ] || fail "BNLAB_CPU=baseline bnlab --version printed '$out'"
fi

"$bin" train --dataset spiral --steps 30 --quiet > /dev/null || fail "headless training failed"
scenes=$prefix/share/bnlab/scenes
[ -f "$scenes/default.toml" ] || fail "no scenes in share/bnlab/scenes"
"$bin" train --scene spiral --steps 30 --quiet > /dev/null || fail "the installed spiral scene did not load"
# A scene only the installed folder has loads; one removed from it is not found elsewhere.
cp "$scenes/spiral.toml" "$scenes/only-installed.toml"
"$bin" train --scene only-installed --steps 10 --quiet > /dev/null || fail "a scene of the prefix did not load"
rm "$scenes/spiral.toml"
if "$bin" train --scene spiral --steps 10 --quiet > /dev/null 2>&1; then
  fail "the installed binary found a scene outside its prefix (the source tree?)"
fi

for file in share/applications/org.bnlab.Bnlab.desktop share/icons/hicolor/scalable/apps/org.bnlab.Bnlab.svg \
            share/metainfo/org.bnlab.Bnlab.metainfo.xml share/man/man1/bnlab.1; do
  [ -s "$prefix/$file" ] || fail "missing $file"
done
grep -q '^Exec=bnlab$' "$prefix/share/applications/org.bnlab.Bnlab.desktop" || fail "the desktop entry does not run bnlab"
grep -q '^\.TH BNLAB 1' "$prefix/share/man/man1/bnlab.1" || fail "the man page has no title line"
grep -q -- '--threads' "$prefix/share/man/man1/bnlab.1" || fail "the man page lacks the options of --help"
if command -v appstreamcli > /dev/null; then
  appstreamcli validate --no-net "$prefix/share/metainfo/org.bnlab.Bnlab.metainfo.xml" > /dev/null || fail "AppStream metadata invalid"
fi
echo "install: ok ($prefix)"
