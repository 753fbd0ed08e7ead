#!/usr/bin/env bash
# Quick start, command 1: install what is missing, start the lab, serve the dashboard on :3000 against it.
# Ctrl-C stops the dashboard; the lab keeps running until `npm run lab -- down`.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/install-deps.sh
bash scripts/ensure-node-deps.sh
npx tsx e2e/lab/cli.ts up
echo "demo: building the dashboard"
npx next build >/tmp/ha-control-room-build.log 2>&1 || { cat /tmp/ha-control-room-build.log; exit 1; }
echo "demo: sign in with a demo user (one per role; also in .lab/DEMO-USERS.md):"
grep '^| [a-z]' .lab/DEMO-USERS.md | grep -v '^| user' || true
echo "demo: dashboard on http://localhost:3000 (lab: npm run lab -- status | kill leader | down)"
HA_CONFIG="$PWD/.lab/ha.config.yaml" exec node scripts/serve.mjs -p "${PORT:-3000}"
