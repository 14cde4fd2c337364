#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh Debian machine (Java 17 and Maven are
# assumed, as on every machine of this kind). Idempotent: installs only what is missing.
set -euo pipefail

need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)      # real Prometheus for checks
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)  # kubectl, a real client in tests

if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing ${need[*]} (Debian packages)"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

for tool in java mvn prometheus kubectl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is still missing after set-up" >&2; exit 1; }
done
