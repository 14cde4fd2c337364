#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs prerequisites, builds, runs every test
# (unit, sandbox scenarios with the real Prometheus and the real kubectl).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh
exec mvn -B -ntp verify "$@"
