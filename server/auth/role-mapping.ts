/**
 * Roles from the provider's groups: pure functions, so the rule is tested on its own.
 * Among the mapped groups someone is in, the highest role on the ladder wins (a person in both the
 * viewers' and the approvers' group is an approver), as Grafana's role_attribute_path does.
 */
import { ROLES, type Role } from "../../lib/roles";
import type { OidcRoleMapping } from "../config/oidc";

/** The groups claim as a list of strings: an array of strings, or one string; anything else is no groups. */
export function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((g): g is string => typeof g === "string");
  return [];
}

export type MappedRole = { role: Role; group: string | null } | { role: null; group: null };

/** The role for these groups; with no match, `viewer` (group null) or null (refused) as `noMatch` says. */
export function mapRole(groups: readonly string[], mapping: readonly OidcRoleMapping[], noMatch: "viewer" | "refuse"): MappedRole {
  let best: { role: Role; group: string } | null = null;
  for (const m of mapping) {
    if (!groups.includes(m.group)) continue;
    if (!best || ROLES.indexOf(m.role) > ROLES.indexOf(best.role)) best = { role: m.role, group: m.group };
  }
  if (best) return best;
  return noMatch === "viewer" ? { role: "viewer", group: null } : { role: null, group: null };
}
