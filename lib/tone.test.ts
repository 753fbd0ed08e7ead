import { describe, expect, it } from "vitest";
import { haproxyStatusTone, patroniStateTone, suspectLabel, vrrpStateTone } from "./tone";

describe("tones", () => {
  it("maps Patroni member states", () => {
    expect(patroniStateTone("running")).toBe("good");
    expect(patroniStateTone("streaming")).toBe("good");
    expect(patroniStateTone("stopped")).toBe("warn");
    expect(patroniStateTone("crashed")).toBe("bad");
    expect(patroniStateTone("")).toBe("unknown");
  });
  it("maps HAProxy statuses including transitional ones", () => {
    expect(haproxyStatusTone("UP")).toBe("good");
    expect(haproxyStatusTone("OPEN")).toBe("good");
    expect(haproxyStatusTone("DOWN")).toBe("bad");
    expect(haproxyStatusTone("UP 1/3")).toBe("warn");
    expect(haproxyStatusTone("DRAIN")).toBe("warn");
    expect(haproxyStatusTone("no check")).toBe("neutral");
  });
  it("maps VRRP states", () => {
    expect(vrrpStateTone("MASTER")).toBe("good");
    expect(vrrpStateTone("BACKUP")).toBe("neutral");
    expect(vrrpStateTone("FAULT")).toBe("bad");
    expect(vrrpStateTone("UNKNOWN")).toBe("unknown");
  });
  it("writes a pending change as HAProxy does, with NO DATA in words", () => {
    expect(suspectLabel({ status: "DOWN", count: 1, needed: 3 })).toBe("DOWN 1/3");
    expect(suspectLabel({ status: "NO_DATA", count: 2, needed: 3 })).toBe("NO DATA 2/3");
  });
});
