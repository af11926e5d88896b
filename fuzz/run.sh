#!/bin/sh
# Build the libFuzzer target with coverage instrumentation (stable rustc flags; no nightly
# needed) and run it on one core. Usage: fuzz/run.sh [SECONDS]   (default 1800)
set -eu
cd "$(dirname "$0")"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions"
# --target: the flags then apply to the fuzzed code only, not to build scripts.
cargo build --release --bin lanes -j "${JOBS:-1}" --target x86_64-unknown-linux-gnu
mkdir -p corpus artifacts
# Seeds: every fixture, once per selector byte.
if [ -z "$(ls corpus)" ]; then
  i=0
  for f in $(find ../fixtures -type f \( -name '*.yaml' -o -name '*.yml' \) | sort); do
    for s in 0 1 2 3 4 5; do
      { printf "\\$(printf '%03o' "$s")"; cat "$f"; } > "corpus/seed-$i-$s"
    done
    i=$((i+1))
  done
fi
# One core: lint runs its rules on rayon's pool.
export RAYON_NUM_THREADS=1
exec ./target/x86_64-unknown-linux-gnu/release/lanes -max_total_time="${1:-1800}" -max_len=8192 -timeout=10 \
  -rss_limit_mb=1024 -artifact_prefix=artifacts/ -print_final_stats=1 corpus ../fuzz/regressions
