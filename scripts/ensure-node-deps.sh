#!/usr/bin/env bash
# npm ci when node_modules is missing or was installed from another package-lock.json (always in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(sha256sum package-lock.json | cut -d' ' -f1)
have=$(cat node_modules/.lock-sha256 2>/dev/null || true)
if [[ -n "${CI:-}" || "$want" != "$have" || ! -d node_modules ]]; then
  echo "ensure-node-deps: npm ci"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.lock-sha256
fi
