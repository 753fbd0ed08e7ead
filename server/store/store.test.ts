import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockPathFor } from "./lock";
import { describeStoreContract } from "./store-contract";
import { openStore } from "./store";

describeStoreContract("control store on in-memory PGlite", () => openStore({ memory: true }));

describe("control store on a PGlite data dir (the default backend)", () => {
  it("keeps its data across a close and reopen, and holds the dir while open", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ha-store-disk-"));
    const dataDir = path.join(tmp, "store");
    try {
      const first = await openStore({ dataDir });
      await expect(openStore({ dataDir })).rejects.toMatchObject({ code: "UNAVAILABLE" });
      await first.recordTransitions([{ at: 1_000, subject: "overall", fromStatus: "NO_DATA", toStatus: "HEALTHY", instanceId: "a" }]);
      await first.close();
      await first.close(); // closing twice is harmless
      expect(fs.existsSync(lockPathFor(dataDir))).toBe(false);
      await expect(first.events({ limit: 1 })).rejects.toMatchObject({ code: "UNAVAILABLE" });

      const second = await openStore({ dataDir });
      try {
        expect((await second.latestTransitions()).map((t) => [t.subject, t.toStatus, t.at])).toEqual([["overall", "HEALTHY", 1_000]]);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
