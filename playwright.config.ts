import { defineConfig, devices } from "@playwright/test";
import { VIEWER_STATE } from "./e2e/auth-helpers";
import { paths } from "./e2e/lab/topology";

const PORT = Number(process.env.E2E_PORT ?? 3100);

/**
 * Runs against a production build made beforehand:
 *   NEXT_DIST_DIR=.next-test NEXT_TELEMETRY_DISABLED=1 npx next build
 * and the lab (`npm run lab -- up`), whose dashboard config is $LAB_DIR/ha.config.yaml (default .lab/).
 */
export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Signs in as the lab's demo viewer; specs that need someone else (or nobody) say so with test.use.
  globalSetup: "./e2e/global-setup.ts",
  use: {
    storageState: VIEWER_STATE,
    baseURL: `http://127.0.0.1:${PORT}`,
    ...devices["Desktop Chrome"],
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    // The dashboard's own server (scripts/serve.mjs, as `npm start`): the app sees each request's real socket address.
    command: `node scripts/serve.mjs -p ${PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/api/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-test",
      HA_CONFIG: process.env.HA_CONFIG ?? paths.config,
      NEXT_TELEMETRY_DISABLED: "1",
      // Its own control store: a running demo holds the default one (PGlite allows one process per folder).
      HA_STORE_DIR: process.env.HA_STORE_DIR ?? ".data/e2e-store",
    },
  },
});
