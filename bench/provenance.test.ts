import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRevision, rebuildReason, sourcesHash, type BuildStamp } from "./provenance";

const stamp = (sources: string): BuildStamp => ({ commit: "0123456789abcdef", dirty: false, sources, builtAt: "2026-01-01T00:00:00.000Z" });

describe("rebuildReason", () => {
  it("reuses a build made from today's sources", () => {
    expect(rebuildReason({ force: false, hasBuild: true, stamp: stamp("aaa"), sources: "aaa" })).toBeNull();
  });

  it("rebuilds when the sources changed since the build", () => {
    expect(rebuildReason({ force: false, hasBuild: true, stamp: stamp("aaa"), sources: "bbb" })).toBe("sources changed since the build (built from aaa, now bbb)");
  });

  it("rebuilds a build without a stamp, when there is none, and on --build", () => {
    expect(rebuildReason({ force: false, hasBuild: true, stamp: undefined, sources: "aaa" })).toMatch(/no stamp/);
    expect(rebuildReason({ force: false, hasBuild: false, stamp: stamp("aaa"), sources: "aaa" })).toBe("no build yet");
    expect(rebuildReason({ force: true, hasBuild: true, stamp: stamp("aaa"), sources: "aaa" })).toMatch(/--build/);
  });
});

describe("sourcesHash", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hacr-bench-sources-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (f: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  };

  it("changes with an app source and not with a test file", () => {
    write("app/page.tsx", "export default 1;\n");
    write("server/x.ts", "export const x = 1;\n");
    write("server/x.test.ts", "// a test\n");
    const before = sourcesHash(dir);
    write("server/x.test.ts", "// another test\n");
    expect(sourcesHash(dir)).toBe(before);
    write("server/x.ts", "export const x = 2;\n");
    expect(sourcesHash(dir)).not.toBe(before);
  });
});

it("names the commit and a dirty tree", () => {
  expect(describeRevision({ commit: "0123456789abcdef", dirty: true })).toBe("commit 0123456789ab dirty");
  expect(describeRevision({ commit: "unknown", dirty: false })).toBe("commit unknown (not a git checkout)");
});
