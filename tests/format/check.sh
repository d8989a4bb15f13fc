#!/usr/bin/env bash
# The `format` test: every C++ file of bnlab is as clang-format writes it with the
# .clang-format files of the tree (src/plot has Dear ImGui's style, the rest the project's).
# usage: check.sh CLANG_FORMAT SOURCE_DIR [--fix]   (--fix rewrites the files instead)
set -euo pipefail
clang_format=$1 root=$2 mode=${3:-}
cd "$root"
mapfile -t files < <(find src tests bench fuzz -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
[ ${#files[@]} -gt 0 ] || { echo "format: no sources under $root"; exit 1; }
if [ "$mode" = --fix ]; then
  "$clang_format" -i "${files[@]}"
  echo "format: rewrote ${#files[@]} files"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  "$clang_format" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "format: ${#bad[@]} of ${#files[@]} files differ from clang-format's output:"
  printf '  %s\n' "${bad[@]}"
  echo "(tests/format/check.sh $clang_format $root --fix rewrites them; git diff shows what changed)"
  exit 1
fi
echo "format: ${#files[@]} files as clang-format writes them"
