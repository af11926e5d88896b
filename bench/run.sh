#!/usr/bin/env bash
# Benchmarks for BENCHMARKS.md: `lanes lint` against the parse floor (the YAML parser's event
# stream alone over the same files on the same threads, `crates/lanes_model/examples/floor.rs`)
# and against parse-only (lanes' own walk, read, parse and index, no rule:
# `crates/lanes_model/examples/parse_only.rs`), on the corpora of `gen_corpus --seed 1`.
#
#   bench/run.sh [--1m] [OUT_DIR]       (default OUT_DIR: /tmp/lanes-bench)
#
# One command measures the 10k corpus (`--groups 500`) and the 100k corpus (`--groups 5000`):
# RUNS rounds (default 5; each round runs lanes, floor and parse-only once, interleaved, so
# they share the machine's load), medians of wall, CPU (user + sys) and peak RSS (wait4
# rusage), then a table with lanes / floor. `--1m` adds the 1M-document corpus (`--groups
# 50000`, about 1 GB, generated once; RUNS_1M rounds, default 1): on demand only, never in CI.
#
# BIN=DIR uses binaries saved in DIR (lanes, floor, parse_only, gen_corpus) instead of building.
# PROFILE (default `release`, as shipped: fat LTO, one codegen unit) picks the cargo profile
# of all three programs. Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ONE_M=0
if [ "${1:-}" = "--1m" ]; then ONE_M=1; shift; fi
B=${1:-/tmp/lanes-bench}
PROFILE=${PROFILE:-release}
RUNS=${RUNS:-5}
RUNS_1M=${RUNS_1M:-1}
mkdir -p "$B"

if [ -n "${BIN:-}" ]; then
  # Binaries saved earlier (lanes, floor, parse_only, gen_corpus in one folder): no build.
  GEN=$BIN/gen_corpus LANES=$BIN/lanes FLOOR=$BIN/floor PARSE=$BIN/parse_only
else
  cargo build --profile "$PROFILE" --quiet --bin lanes
  cargo build --profile "$PROFILE" --quiet -p lanes_model --example parse_only --example floor
  cargo build --profile "$PROFILE" --quiet -p lanes_corpus --example gen_corpus
  T=$PWD/target/$PROFILE
  [ "$PROFILE" = dev ] && T=$PWD/target/debug
  GEN=$T/examples/gen_corpus LANES=$T/lanes FLOOR=$T/examples/floor PARSE=$T/examples/parse_only
fi

corpora="10k:500 100k:5000"
[ "$ONE_M" = 1 ] && corpora="$corpora 1m:50000"
names=()
for spec in $corpora; do
  name=${spec%%:*} groups=${spec##*:}
  names+=("c$name")
  if [ ! -f "$B/c$name/EXPECTED.json" ]; then
    rm -rf "$B/c$name"
    echo "generating c$name (--groups $groups --seed 1)"
    /usr/bin/time -f "  generated in %e s, peak RSS %M KiB" "$GEN" --out "$B/c$name" --groups "$groups" --seed 1 >/dev/null
  fi
  runs=$RUNS; [ "$name" = 1m ] && runs=$RUNS_1M
  echo "## c$name: $runs interleaved rounds ($(uptime | sed 's/.*load/load/'))"
  cmds=("lanes=$LANES lint $B/c$name --format concise" "floor=$FLOOR $B/c$name")
  [ "$name" = 1m ] || cmds+=("parse_only=$PARSE $B/c$name")
  python3 bench/measure.py "$runs" "$B/c$name.json" "${cmds[@]}"
done
echo
python3 bench/report.py "$B" "${names[@]}"
