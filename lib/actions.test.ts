import { describe, expect, it } from "vitest";
import { auditCsv, mayApprove, mayAudit, mayRequest, phaseDurations, RequestInput, type AuditEntry } from "./actions";
import { csvField } from "./csv";

describe("actions: shared rules", () => {
  it("roles on the ladder: operators request, approvers approve, admins read the audit log", () => {
    expect(["viewer", "operator", "approver", "admin"].map((r) => [mayRequest(r), mayApprove(r), mayAudit(r)])).toEqual([
      [false, false, false],
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
    expect(mayRequest(null)).toBe(false);
    expect(mayRequest("kiosk")).toBe(false);
  });

  it("a request needs a reason and a client request id", () => {
    const base = { kind: "patroni_switchover", targetId: "labcluster", node: "pg3", clientRequestId: "abcdef12-3456" };
    expect(RequestInput.safeParse({ ...base, reason: "  " }).success).toBe(false);
    expect(RequestInput.safeParse({ ...base, reason: "kernel patching on pg1" }).success).toBe(true);
    expect(RequestInput.safeParse({ ...base, reason: "kernel patching", clientRequestId: "x" }).success).toBe(false);
  });

  it("phase durations come from the recorded phase times", () => {
    expect(phaseDurations({ requestedAt: 0, approvedAt: 60_000, executingAt: 60_100, verifyingAt: 62_000, finishedAt: 64_500 })).toEqual({
      approval: 60_000,
      execution: 1_900,
      verification: 2_500,
    });
    expect(phaseDurations({ requestedAt: 0, approvedAt: null, executingAt: null, verifyingAt: null, finishedAt: 10 })).toEqual({});
  });

  it("CSV: quoted where needed, formulas defused, UTC times", () => {
    expect(csvField('say "hi", then')).toBe('"say ""hi"", then"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(-3)).toBe("-3");
    const row: AuditEntry = {
      id: 1, at: Date.UTC(2026, 0, 2, 3, 4, 5, 6), actorId: "u1", actorName: "Ann", actorRole: "operator", actorIp: "10.0.0.1", event: "request",
      requestId: 9, kind: "patroni_switchover", targetId: "labcluster", reason: "patch, reboot", detail: null, timeline: null,
    };
    expect(auditCsv([row]).split("\r\n")[1]).toBe('1,2026-01-02T03:04:05.006Z,u1,Ann,operator,10.0.0.1,request,9,patroni_switchover,labcluster,"patch, reboot",,');
  });
});
