import type { z } from "zod";
import { groupingOf, type ChildRoute, type TopRoute } from "@/server/config/alerting";
import type { AlertSource } from "@/lib/alerts";

/**
 * Which receivers an alert goes to, with Alertmanager's routing rules on a tree one level deep: child
 * routes are tried in order, the first match wins unless it says `continue`, and an alert no child
 * took goes to the top route. Pure.
 */

export type TopRouteSettings = z.infer<typeof TopRoute>;
type ChildRouteSettings = z.infer<typeof ChildRoute>;

export interface Grouping {
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

export interface RouteMatch {
  receiver: string;
  /** Alertmanager's route key: "{}" for the top route, "{}/{label=\"value\",...}" for a child. */
  routeKey: string;
  grouping: Grouping;
}

/** A test notification goes to its named receiver at once, whatever the routes say. */
const TEST_GROUPING: Omit<Grouping, "groupBy"> = { groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 7 * 86_400_000 };

function quote(v: string): string {
  return JSON.stringify(v);
}

function matcherText(name: string, want: string | string[]): string {
  if (typeof want === "string") return `${name}=${quote(want)}`;
  const alternatives = want.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return `${name}=~${quote(`^(?:${alternatives})$`)}`;
}

function childKey(route: ChildRouteSettings, index: number, siblings: readonly ChildRouteSettings[]): string {
  const names = Object.keys(route.match).sort();
  const key = `{}/{${names.map((n) => matcherText(n, route.match[n]!)).join(",")}}`;
  // Two children with the same matchers would share their groups; Alertmanager tells them apart by position.
  const same = siblings.filter((s, i) => i !== index && JSON.stringify(Object.entries(s.match).sort()) === JSON.stringify(Object.entries(route.match).sort()));
  return same.length > 0 ? `${key}/${index}` : key;
}

/** Label equality; a list matches any of its values; a label the alert lacks matches only "". */
export function matches(match: ChildRouteSettings["match"], labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(match).every(([name, want]) => {
    const have = labels[name] ?? "";
    return typeof want === "string" ? have === want : want.includes(have);
  });
}

export function routeAlert(route: TopRouteSettings, labels: Readonly<Record<string, string>>, source: AlertSource): RouteMatch[] {
  if (source === "test" && labels.receiver) {
    return [{ receiver: labels.receiver, routeKey: "{}/test", grouping: { groupBy: ["..."], ...TEST_GROUPING } }];
  }
  const out: RouteMatch[] = [];
  for (const [i, child] of route.routes.entries()) {
    if (!matches(child.match, labels)) continue;
    out.push({ receiver: child.receiver, routeKey: childKey(child, i, route.routes), grouping: groupingOf(route, child) });
    if (!child.continue) break;
  }
  if (out.length === 0) out.push({ receiver: route.receiver, routeKey: "{}", grouping: groupingOf(route) });
  return out;
}

/** The receivers an alert is routed to, each once (for /alerts). */
export function receiversOf(route: TopRouteSettings, labels: Readonly<Record<string, string>>, source: AlertSource): string[] {
  return [...new Set(routeAlert(route, labels, source).map((m) => m.receiver))];
}

/** The labels that name an alert's group: its values of groupBy (those it has), or all of them for "...". */
export function groupLabelsOf(groupBy: readonly string[], labels: Readonly<Record<string, string>>): Record<string, string> {
  const names = groupBy.includes("...") ? Object.keys(labels) : groupBy.filter((n) => labels[n] !== undefined && labels[n] !== "");
  return Object.fromEntries([...new Set(names)].sort().map((n) => [n, labels[n]!]));
}

/** Alertmanager's group key: the route key, then the group labels, e.g. `{}/{severity="critical"}:{alertname="ComponentDown"}`. */
export function groupKeyOf(routeKey: string, groupLabels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(groupLabels)
    .sort()
    .map((n) => `${n}=${quote(groupLabels[n]!)}`);
  return `${routeKey}:{${pairs.join(", ")}}`;
}

/** Each route's grouping by its key, to time a stored group by the route that made it. */
export function groupingsByRouteKey(route: TopRouteSettings): Map<string, Grouping> {
  const out = new Map<string, Grouping>([["{}", groupingOf(route)]]);
  route.routes.forEach((child, i) => out.set(childKey(child, i, route.routes), groupingOf(route, child)));
  out.set("{}/test", { groupBy: ["..."], ...TEST_GROUPING });
  return out;
}
