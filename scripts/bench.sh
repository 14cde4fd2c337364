#!/usr/bin/env bash
# The benchmark, separate from the test suite: builds the jar, runs
#   java -jar target/hotfix-operator.jar bench all --out target/bench/bench.json [ARGS...]
# on the embedded sandbox with the real Prometheus and kubectl, and keeps its table in
# target/bench/table.txt. With --update-docs (first argument) it also replaces the table in
# docs/performance.md (between its bench:begin and bench:end markers) with this run's.
# Usage: scripts/bench.sh [--update-docs] [bench options, e.g. --trials 30 --sizes 100,1000]
# Also: scripts/bench.sh --traffic   runs the simulated app's own TrafficSimulationBenchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh
if [ "${1:-}" = "--traffic" ]; then
  mvn -B -ntp -q -Dstyle.color=never test -Dtest=TrafficSimulationBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    | grep -v '^\[' || true
  exit 0
fi
update_docs=false
if [ "${1:-}" = "--update-docs" ]; then
  update_docs=true
  shift
fi
mvn -B -ntp -q package -DskipTests
mkdir -p target/bench
# the operator's and sandbox's logs go to stderr; the table and the progress to stdout
java -jar target/hotfix-operator.jar bench all --out target/bench/bench.json "$@" 2>target/bench/bench.log \
  | tee target/bench/output.txt
# the table: from the machine line to the end, less the closing "figures written" line
sed -n '/^machine: /,$p' target/bench/output.txt | grep -v '^figures written' > target/bench/table.txt
if $update_docs; then
  awk -v table=target/bench/table.txt '
    /<!-- bench:begin -->/ { print; print "```"; while ((getline line < table) > 0) print line; print "```"; skip = 1; next }
    /<!-- bench:end -->/ { skip = 0 }
    !skip { print }' docs/performance.md > target/bench/performance.md
  mv target/bench/performance.md docs/performance.md
  echo "docs/performance.md: table replaced with this run's (target/bench/table.txt)"
fi
