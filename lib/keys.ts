/**
 * The names things are stored and looked up under. A unit key is `${kind}:${targetId}` or
 * `${kind}:${targetId}/${node}`; a component's transitions are stored under `component:<id>`.
 * Built only here, so a key written in one file is always found by another.
 */

export function unitKey(kind: string, targetId: string, node?: string): string {
  return node ? `${kind}:${targetId}/${node}` : `${kind}:${targetId}`;
}

const COMPONENT_PREFIX = "component:";

export function componentSubject(componentId: string): string {
  return `${COMPONENT_PREFIX}${componentId}`;
}

/** The component id of a `component:<id>` subject; null for any other subject. */
export function componentOfSubject(subject: string): string | null {
  return subject.startsWith(COMPONENT_PREFIX) ? subject.slice(COMPONENT_PREFIX.length) : null;
}

/** The subject of a replication lag series: `<cluster>/<member>`. */
export function lagSubject(clusterId: string, member: string): string {
  return `${clusterId}/${member}`;
}
