import { describe, expect, it } from "vitest";
import { ageLevel, dataAgeSeconds } from "./data-age-model";

const NOW = 1_800_000_000_000;

describe("data age", () => {
  it("counts from the snapshot time, or from its arrival when the browser clock runs behind", () => {
    expect(dataAgeSeconds(NOW + 4_000, NOW, NOW + 100)).toBe(4);
    expect(dataAgeSeconds(NOW + 4_000, NOW + 60_000, NOW + 1_000)).toBe(3);
    expect(dataAgeSeconds(NOW, NOW + 5_000, NOW + 5_000)).toBe(0);
  });
  it("turns amber after 3 s and red after 10 s", () => {
    expect([0, 3, 3.5, 10, 10.5].map(ageLevel)).toEqual(["fresh", "fresh", "amber", "amber", "red"]);
  });
});
