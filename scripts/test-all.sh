#!/usr/bin/env bash
# Quick start, command 2: every test — lint, types, unit, the lab's integration tests, Playwright, and `lab down`.
# Installs what is missing first. Uses the running lab if there is one (and brings it back up afterwards).
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 NO_COLOR=1
REPORTS=reports
rm -rf "$REPORTS"; mkdir -p "$REPORTS"
failed=()
step() { # step NAME CMD...
  local name=$1; shift
  echo; echo "=== $name: $*"
  local t0=$SECONDS
  "$@"; local rc=$?
  echo "$rc" >"$REPORTS/$name.exit" # lets the summary tell a missing report's cause and catch errors a report leaves out
  if ((rc == 0)); then echo "=== $name: ok ($((SECONDS - t0)) s)"; else echo "=== $name: FAILED ($((SECONDS - t0)) s)"; failed+=("$name"); fi
}

bash scripts/install-deps.sh || exit 1
bash scripts/ensure-node-deps.sh || exit 1

lab_was_up=no
npx tsx e2e/lab/cli.ts is-up && lab_was_up=yes

step lint npx eslint . --max-warnings 0
step typecheck npx tsc --noEmit
step unit npx vitest run --project unit --reporter=default --reporter=json --outputFile="$REPORTS/unit.json"
step build env NEXT_DIST_DIR=.next-test npx next build
# Fault-injecting suites hold the lab's lock, so two runs on one machine never break each other's lab.
LOCK=(flock /tmp/hacr-lab.lock)
step lab-up "${LOCK[@]}" npx tsx e2e/lab/cli.ts up
if [[ ! " ${failed[*]} " =~ " lab-up " ]]; then
  step lab "${LOCK[@]}" npx vitest run --project lab --reporter=default --reporter=json --outputFile="$REPORTS/lab.json"
  if [[ ! " ${failed[*]} " =~ " build " ]]; then
    step playwright "${LOCK[@]}" env PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/playwright.json" npx playwright test --reporter=list,json
  fi
fi
step lab-down "${LOCK[@]}" npx vitest run --project lab-down --reporter=default --reporter=json --outputFile="$REPORTS/lab-down.json"
if [[ $lab_was_up == yes ]]; then echo "lab was running before the tests: bringing it back up"; "${LOCK[@]}" npx tsx e2e/lab/cli.ts up >/dev/null || true; fi

echo
# Counts failed tests, failed suites, runner errors and every expected report that is missing as failures.
summary_ok=yes
node scripts/test-summary.mjs "$REPORTS" || summary_ok=no
if ((${#failed[@]})); then echo "FAILED steps: ${failed[*]}"; exit 1; fi
if [[ $summary_ok == no ]]; then echo "FAILED: the test summary counts failures"; exit 1; fi
echo "all steps passed"
