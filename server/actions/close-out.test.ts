import { describe, expect, it } from "vitest";
import { ACTION_STATES, type ActionState } from "@/lib/actions";
import { closeOut, EXPIRED_OUTCOME, SHUTDOWN_OUTCOME_EXECUTED, SHUTDOWN_OUTCOME_NOT_EXECUTED, type CloseOutCause } from "./close-out";

const STOPPING: CloseOutCause[] = ["owner_stopped_reporting", "shutdown", "internal_error"];

describe("closeOut", () => {
  it("expires only a request still waiting for approval", () => {
    expect(closeOut("requested", "approval_window_ended")).toEqual({ to: "expired", event: "expire", outcome: EXPIRED_OUTCOME });
    for (const s of ACTION_STATES.filter((x) => x !== "requested")) expect(closeOut(s, "approval_window_ended")).toBeNull();
  });

  it("an approved action was never sent: failed; one executing or verifying was: unknown", () => {
    for (const cause of STOPPING) {
      expect(closeOut("approved", cause)).toMatchObject({ to: "failed", event: "outcome", outcome: expect.stringMatching(/nothing was sent/) });
      for (const s of ["executing", "verifying"] as ActionState[]) {
        expect(closeOut(s, cause)).toMatchObject({ to: "unknown", event: "outcome", outcome: expect.stringMatching(/outcome unknown/) });
      }
    }
    expect(closeOut("approved", "shutdown")!.outcome).toBe(SHUTDOWN_OUTCOME_NOT_EXECUTED);
    expect(closeOut("verifying", "shutdown")!.outcome).toBe(SHUTDOWN_OUTCOME_EXECUTED);
  });

  it("leaves a request not yet approved and every final state alone", () => {
    for (const cause of STOPPING) {
      for (const s of ACTION_STATES.filter((x) => !["approved", "executing", "verifying"].includes(x))) expect(closeOut(s, cause)).toBeNull();
    }
  });
});
