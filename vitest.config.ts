import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = {
  "@": fileURLToPath(new URL(".", import.meta.url)),
  // "server-only" throws outside Next's react-server condition; unit tests import server modules directly.
  "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          include: ["server/**/*.test.ts", "lib/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["**/*.lab.test.ts", "node_modules/**"],
        },
      },
      {
        // Against the real lab: one file at a time, since tests inject faults into shared services. The global
        // setup brings the lab up (or fails saying how), so no lab test can skip for want of one.
        resolve: { alias },
        test: {
          name: "lab",
          environment: "node",
          include: ["e2e/lab/**/*.test.ts", "server/**/*.lab.test.ts"],
          globalSetup: ["e2e/lab/ensure-lab.ts"],
          exclude: ["e2e/lab/down.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        // Last of all: `lab down` leaves nothing behind.
        resolve: { alias },
        test: { name: "lab-down", environment: "node", include: ["e2e/lab/down.test.ts"], testTimeout: 120_000 },
      },
    ],
  },
});
