import { defineConfig } from "drizzle-kit";

/** `npx drizzle-kit generate` writes the control store's migrations; openStore() applies them. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./server/store/schema.ts",
  out: "./server/store/migrations",
  strict: true,
});
