#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Coverage-guided fuzzing of StudyShare's parsers with libFuzzer under
# AddressSanitizer + UndefinedBehaviorSanitizer (Debian's clang).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 60 s, every target)
#
# Builds tests/fuzz/ into build-fuzz/, seeds each target from the unit tests'
# tables (tests/fuzz/make_seeds.py) and the committed seeds, keeps the corpus
# that grows in build-fuzz/corpus/<target>/ between runs, and writes any crash
# to build-fuzz/crashes/<target>/ (turn each one into a unit test). Exits
# non-zero when a target crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
BUILD_DIR="${STUDYSHARE_FUZZ_BUILD_DIR:-build-fuzz}"
ALL_TARGETS=(fuzz_route_grammar fuzz_dicom_query fuzz_jwt fuzz_share_request fuzz_open_request fuzz_wire_protocol fuzz_config fuzz_text)
TARGETS=("${@:-${ALL_TARGETS[@]}}")

mkdir -p "$BUILD_DIR"
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTUDYSHARE_FUZZ=ON \
  -DSTUDYSHARE_BUILD_PLUGIN=OFF -DSTUDYSHARE_BUILD_TESTS=OFF -DSTUDYSHARE_BUILD_BENCHMARKS=OFF \
  > "$BUILD_DIR/configure.log" 2>&1 || { cat "$BUILD_DIR/configure.log"; exit 1; }
cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${TARGETS[@]}" > "$BUILD_DIR/build.log" 2>&1 \
  || { tail -50 "$BUILD_DIR/build.log"; exit 1; }
/usr/bin/python3 tests/fuzz/make_seeds.py "$BUILD_DIR/seeds"

status=0
for target in "${TARGETS[@]}"; do
  corpus="$BUILD_DIR/corpus/$target"
  crashes="$BUILD_DIR/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  seeds=()
  for dir in "$BUILD_DIR/seeds/$target" "tests/fuzz/seeds/$target"; do
    if [ -d "$dir" ]; then seeds+=("$dir"); fi
  done
  echo "== $target: ${SECONDS_PER_TARGET} s"
  # -timeout=30: on a loaded machine (2 cores, a dozen processes) a 60 ms
  # input once took over 10 s of wall time; 30 s still catches a real hang.
  if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$BUILD_DIR/tests/fuzz/$target" -max_total_time="$SECONDS_PER_TARGET" -max_len=8192 -timeout=30 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "${seeds[@]}" \
      > "$BUILD_DIR/$target.log" 2>&1; then
    echo "$target FAILED (crash input in $crashes/, log in $BUILD_DIR/$target.log):"
    tail -40 "$BUILD_DIR/$target.log"
    status=1
  else
    grep -E "^stat::(number_of_executed_units|new_units_added)" "$BUILD_DIR/$target.log" | tr '\n' ' '
    echo
  fi
done
exit $status
