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
          include: ["server/**/*.test.ts", "lib/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts"],
          exclude: ["**/*.lab.test.ts", "node_modules/**"],
        },
      },
      {
        // Against the real lab (`npm run lab -- up`): one file at a time, since tests inject faults into shared services.
        resolve: { alias },
        test: {
          name: "lab",
          environment: "node",
          include: ["e2e/lab/**/*.test.ts", "server/**/*.lab.test.ts"],
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
