#!/usr/bin/env bash
# Benchmarks, separate from the test suite (surefire skips *Benchmark classes in `mvn verify`).
# Usage: scripts/bench.sh [BenchmarkClass ...]   (default: all of them)
# Each prints its figures; they run on the embedded sandbox with the real Prometheus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh
benchmarks=("$@")
[ ${#benchmarks[@]} -gt 0 ] || benchmarks=(DetectionToRollbackBenchmark TrafficSimulationBenchmark)
for b in "${benchmarks[@]}"; do
  echo "==> $b"
  mvn -B -ntp -q -Dstyle.color=never test -Dtest="$b" -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.trimStackTrace=true \
    | grep -v '^\[' || true
done
