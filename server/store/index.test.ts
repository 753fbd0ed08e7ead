import { afterEach, describe, expect, it, vi } from "vitest";
import { closeStore, getStore } from "./index";

afterEach(async () => {
  await closeStore();
  vi.unstubAllEnvs();
});

describe("getStore", () => {
  it("opens one store per process from the environment, and closeStore closes it", async () => {
    vi.stubEnv("HA_STORE_URL", "");
    vi.stubEnv("HA_STORE_DIR", ":memory:");
    const a = getStore();
    expect(getStore()).toBe(a);
    const store = await a;
    expect(store.backend).toBe("pglite");
    await closeStore();
    await expect(store.events({ limit: 1 })).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(getStore()).not.toBe(a);
  }, 60_000);

  it("a failed open is reported without the URL and not cached", async () => {
    vi.stubEnv("HA_STORE_URL", "mysql://root:hunter2@db/x");
    const failed = getStore();
    await expect(failed).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(failed).rejects.not.toThrow(/hunter2/);
    expect(getStore()).not.toBe(failed);
    await getStore().catch(() => {});
  });
});
