import { describe, expect, it } from "vitest";
import { haproxyStatusTone, patroniStateTone, vrrpStateTone } from "./tone";

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
});
