/** Runs once when a server process starts (next start / next dev): check the config, then start polling. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` may load this file too; the config belongs to the running server, not the build.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { checkConfigOrExit, startMonitoring } = await import("./server/startup");
  checkConfigOrExit();
  await startMonitoring();
}
