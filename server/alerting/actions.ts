import { ACTION_KIND_LABEL, describeTarget, type ActionKind, type ActionState, type ActionView } from "../../lib/actions";
import { alertFingerprint, type AlertEvent, type AlertSeverity, type AlertSpec } from "../../lib/alerts";
import type { Config } from "../config/load";

/**
 * Guarded actions' alerts: a request awaiting approval fires while it waits (so approvers are paged)
 * and resolves when it leaves `requested`; an outcome (executed, failed, unknown) is a one-shot alert
 * that resolves by itself after `ttlMs`. The store writes them in the transaction of the change.
 */

export interface ActionAlertOptions {
  /** How long an outcome alert stays firing (alerting.eventAlertTtlMs). */
  ttlMs: number;
  /** The SLA component an action's target counts towards, when the config says. */
  componentOf?: (kind: ActionKind, targetId: string) => string | undefined;
}

type ActionAlertName = "ActionAwaitingApproval" | "ActionExecuted" | "ActionFailed" | "ActionOutcomeUnknown";
const ALERT_NAMES: readonly ActionAlertName[] = ["ActionAwaitingApproval", "ActionExecuted", "ActionFailed", "ActionOutcomeUnknown"];

const SEVERITY: Record<ActionAlertName, AlertSeverity> = {
  ActionAwaitingApproval: "warning",
  ActionExecuted: "info",
  ActionFailed: "critical",
  ActionOutcomeUnknown: "critical",
};

/** The alert a state raises, if any. */
const ALERT_OF_STATE: Partial<Record<ActionState, ActionAlertName>> = {
  requested: "ActionAwaitingApproval",
  succeeded: "ActionExecuted",
  failed: "ActionFailed",
  unknown: "ActionOutcomeUnknown",
};

/** The options from the config; undefined (no action alerts) without an `alerting:` section. */
export function actionAlertOptions(config: Config): ActionAlertOptions | undefined {
  if (!config.alerting) return undefined;
  const entries = (kind: ActionKind) =>
    kind.startsWith("patroni_") ? config.clusters : kind === "sentinel_failover" ? config.sentinels : config.vrrp;
  return {
    ttlMs: config.alerting.eventAlertTtlMs,
    componentOf: (kind, targetId) => (entries(kind) as readonly { id: string; component: string }[]).find((e) => e.id === targetId)?.component,
  };
}

function labelsOf(name: ActionAlertName, a: ActionView, opts: ActionAlertOptions) {
  const component = opts.componentOf?.(a.kind, a.targetId);
  return {
    alertname: name,
    severity: SEVERITY[name],
    kind: a.kind,
    target: a.targetId,
    action_id: String(a.id),
    ...(a.kind.startsWith("patroni_") ? { cluster: a.targetId } : {}),
    ...(a.node ? { node: a.node } : {}),
    ...(component ? { component } : {}),
  };
}

function wordsOf(name: ActionAlertName, a: ActionView): { summary: string; description: string } {
  const what = `${ACTION_KIND_LABEL[a.kind]} #${a.id} (${describeTarget(a)})`;
  const asked = `requested by ${a.requester.name}: ${a.reason}`;
  switch (name) {
    case "ActionAwaitingApproval":
      return { summary: `${what} awaits approval`, description: `${asked}; approve or reject by ${new Date(a.expiresAt).toISOString()}` };
    case "ActionExecuted":
      return { summary: `${what} succeeded`, description: a.outcome ?? asked };
    case "ActionFailed":
      return { summary: `${what} failed`, description: a.outcome ?? asked };
    case "ActionOutcomeUnknown":
      return { summary: `${what}: outcome unknown`, description: `${a.outcome ?? "the outcome could not be verified"}; check the component before acting again` };
  }
}

function specOf(name: ActionAlertName, a: ActionView, at: number, opts: ActionAlertOptions): AlertSpec {
  const oneShot = name !== "ActionAwaitingApproval";
  return {
    labels: labelsOf(name, a, opts),
    annotations: wordsOf(name, a),
    path: `/actions/${a.id}`,
    source: "action",
    startsAt: name === "ActionAwaitingApproval" ? a.requestedAt : at,
    expiresAt: oneShot ? at + opts.ttlMs : null,
  };
}

/**
 * What an action that just reached `a.state` owes: the alert its new state fires, and the other
 * alerts of the action to resolve if they are still active (the caller checks, in its transaction).
 */
export function actionAlertChange(a: ActionView, at: number, opts: ActionAlertOptions): { fire: AlertEvent[]; resolveIfActive: AlertEvent[] } {
  const now = ALERT_OF_STATE[a.state];
  const fire: AlertEvent[] = [];
  if (now) {
    const s = specOf(now, a, at, opts);
    fire.push({ ...s, fingerprint: alertFingerprint(s.labels), status: "firing", at, endsAt: null });
  }
  const resolveIfActive = ALERT_NAMES.filter((n) => n !== now).map<AlertEvent>((n) => {
    const s = specOf(n, a, at, opts);
    return { ...s, expiresAt: null, fingerprint: alertFingerprint(s.labels), status: "resolved", at, endsAt: at };
  });
  return { fire, resolveIfActive };
}
