#!/usr/bin/env bash
# The demo on the embedded sandbox, from a fresh machine: installs prerequisites, builds the
# jar, then runs `java -jar target/hotfix-operator.jar demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh
mvn -B -ntp -q package -DskipTests
exec java -jar target/hotfix-operator.jar demo "$@"
