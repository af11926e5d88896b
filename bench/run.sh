#!/usr/bin/env bash
# Benchmarks for BENCHMARKS.md: lint and parse-only on generated corpora of ~1k, 10k and 100k
# documents, wall time (hyperfine), peak RSS (/usr/bin/time), documents per second.
#
#   bench/run.sh [OUT_DIR]        (default OUT_DIR: /tmp/lanes-bench)
#
# Needs hyperfine and GNU time (`apt-get install -y hyperfine time`).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-/tmp/lanes-bench}
mkdir -p "$B"

cargo build --release --quiet
cargo build --release --quiet -p lanes_model --example parse_only
cargo build --release --quiet -p lanes_corpus --example gen_corpus
GEN=$PWD/target/release/examples/gen_corpus
LANES=$PWD/target/release/lanes
PARSE=$PWD/target/release/examples/parse_only

for spec in "1k 50" "10k 500" "100k 5000"; do
  set -- $spec
  name=$1 groups=$2
  [ -d "$B/c$name" ] || "$GEN" --out "$B/c$name" --groups "$groups" --seed 1 >/dev/null
done

echo "## wall time"
for name in 1k 10k 100k; do
  runs=10; [ "$name" = 100k ] && runs=5
  hyperfine --warmup 1 --runs "$runs" -N --ignore-failure \
    --export-markdown "$B/hf-$name.md" \
    -n "lanes lint c$name" "$LANES lint $B/c$name --format concise" \
    -n "parse-only c$name" "$PARSE $B/c$name" >/dev/null
  cat "$B/hf-$name.md"
done

echo "## peak RSS"
for name in 1k 10k 100k; do
  for cmd in "$LANES lint $B/c$name --format concise" "$PARSE $B/c$name"; do
    /usr/bin/time -f "%M KiB  %e s  $cmd" $cmd >/dev/null 2>"$B/time.txt" || true
    tail -1 "$B/time.txt"
  done
done
