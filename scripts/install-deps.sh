#!/usr/bin/env bash
# Installs what the lab and the browser tests need from Debian's packages (idempotent, quiet when done).
# poppler-utils: pdftotext, to read back the SLA report printed to PDF (e2e/sla.spec.ts).
# prometheus-alertmanager: the lab's real Alertmanager; prometheus: promtool, which checks the metrics and alert rules.
set -euo pipefail
PKGS=(patroni etcd-server etcd-client postgresql-15 redis-server redis-sentinel haproxy keepalived iproute2 curl chromium python3 poppler-utils prometheus-alertmanager prometheus)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts nothing here (no systemd), but be sure no packaged service holds the lab's ports.
echo "install-deps: Debian packages present"
