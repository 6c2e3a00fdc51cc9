#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails, naming the files, when a tracked C++ file differs from .clang-format.
# Fix with: git ls-files '*.cpp' '*.h' '*.inc' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=()
while IFS= read -r file; do
  if ! clang-format --dry-run --Werror "$file" >/dev/null 2>&1; then
    unformatted+=("$file")
  fi
done < <(git ls-files '*.cpp' '*.h' '*.inc')
if [ ${#unformatted[@]} -gt 0 ]; then
  echo "check-format: ${#unformatted[@]} file(s) not formatted with .clang-format:" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "run: git ls-files '*.cpp' '*.h' '*.inc' | xargs clang-format -i" >&2
  exit 1
fi
echo "check-format: all C++ files formatted"
