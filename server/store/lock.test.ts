import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lockDataDir, lockPathFor, processStart } from "./lock";

let tmp: string;
let dir: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ha-store-lock-"));
  dir = path.join(tmp, "store");
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("data dir lock", () => {
  it("is taken, refused to a second opener in the same process, and released", () => {
    const release = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(lockPathFor(dir), "utf8"))).toMatchObject({ pid: process.pid });
    expect(() => lockDataDir(dir)).toThrow(/already open in this process/);
    release();
    expect(fs.existsSync(lockPathFor(dir))).toBe(false);
    lockDataDir(dir)();
  });

  it("is refused while another live process holds it", () => {
    // The test runner's parent process stands in for another dashboard.
    fs.writeFileSync(lockPathFor(dir), JSON.stringify({ pid: process.ppid, started: processStart(process.ppid) }));
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${process.ppid}`));
  });

  it("is taken over from a process that is gone, or from a reused pid", () => {
    fs.writeFileSync(lockPathFor(dir), JSON.stringify({ pid: 2 ** 22 + 7, started: "1" }));
    lockDataDir(dir)();
    // Same pid as ours (a restarted container's pid 1) but not held here: an earlier run.
    fs.writeFileSync(lockPathFor(dir), JSON.stringify({ pid: process.pid, started: "1" }));
    lockDataDir(dir)();
    if (processStart(process.ppid) !== null) {
      // A live pid whose start time differs is a reused pid, not the owner.
      fs.writeFileSync(lockPathFor(dir), JSON.stringify({ pid: process.ppid, started: "1" }));
      lockDataDir(dir)();
    }
  });
});
