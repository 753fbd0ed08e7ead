import "server-only";

/**
 * In-process wake-up for live views when this process changes an action. Other dashboard processes'
 * changes are found by polling the store's watermark (./queries.ts), so this only makes it faster.
 */
const g = globalThis as unknown as { __hacrActionListeners?: Set<() => void> };
const listeners = (g.__hacrActionListeners ??= new Set());

export function actionsChanged(): void {
  for (const l of listeners) {
    try {
      l();
    } catch {
      // a failing listener must not stop the others
    }
  }
}

export function onActionsChanged(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
