/**
 * Vitest globalSetup of the lab project: its tests run against a lab that is up, never skip for want
 * of one. Starts what is missing, as `npm run lab -- up` does, or fails the run saying how to start it.
 */
import { up } from "./lab";
import { paths } from "./topology";

export default async function ensureLab(): Promise<void> {
  try {
    await up();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `the lab tests need the lab (${paths.root}) and it could not be started: ${why}\n` +
        "Start it with `npm run lab -- up` (as root; LAB_DIR chooses its folder), then run the lab tests again.",
      { cause: e },
    );
  }
}
