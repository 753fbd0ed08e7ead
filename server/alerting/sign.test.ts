import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signatureHeaders } from "./sign";
import { SECRET_A, SECRET_B } from "./test-helpers";

const BODY = JSON.stringify({ version: "4", status: "firing", alerts: [{ labels: { alertname: "ComponentDown" } }] });
const ID = "msg_2f1c0b7e-8d63-4a8f-9a57-3c9a2f0e6d11";

describe("Standard Webhooks signatures", () => {
  it("a receiver verifies with the spec's own library", () => {
    const h = signatureHeaders(ID, BODY, [SECRET_A], new Date());
    expect(h["webhook-id"]).toBe(ID);
    expect(h["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET_A).verify(BODY, { ...h })).toEqual(JSON.parse(BODY));
  });

  it("rejects a tampered body, another id, or the wrong secret", () => {
    const h = { ...signatureHeaders(ID, BODY, [SECRET_A], new Date()) };
    expect(() => new Webhook(SECRET_A).verify(BODY.replace("firing", "resolved"), h)).toThrow(/No matching signature/);
    expect(() => new Webhook(SECRET_A).verify(BODY, { ...h, "webhook-id": "msg_other" })).toThrow(/No matching signature/);
    expect(() => new Webhook(SECRET_B).verify(BODY, h)).toThrow(/No matching signature/);
  });

  it("signs with both secrets while rotating: either one verifies", () => {
    const h = { ...signatureHeaders(ID, BODY, [SECRET_A, SECRET_B], new Date()) };
    expect(h["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(() => new Webhook(SECRET_A).verify(BODY, h)).not.toThrow();
    expect(() => new Webhook(SECRET_B).verify(BODY, h)).not.toThrow();
  });

  it("the timestamp is the attempt's: an old one is refused by the receiver", () => {
    const h = { ...signatureHeaders(ID, BODY, [SECRET_A], new Date(Date.now() - 10 * 60_000)) };
    expect(() => new Webhook(SECRET_A).verify(BODY, h)).toThrow(/too old/);
  });

  it("without secrets, sends the id and timestamp only", () => {
    expect(Object.keys(signatureHeaders(ID, BODY, [], new Date()))).toEqual(["webhook-id", "webhook-timestamp"]);
  });
});
