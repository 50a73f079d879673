import { evaluateValue } from './heap.js';
import type { InspectorSession } from './session.js';

/**
 * Counts the target's live libuv handles and requests by type (`Timeout`, `TCPSocketWrap`, `TCPServerWrap`,
 * `FSReqCallback`, …) from `process.getActiveResourcesInfo()` (Node ≥ 17.3). The counting happens in the
 * target so only a small object crosses the wire; resolves null where the function does not exist.
 */
export async function readActiveResources(session: InspectorSession, signal?: AbortSignal): Promise<Record<string, number> | null> {
  const expression =
    "(() => { if (typeof process.getActiveResourcesInfo !== 'function') return null; const c = {};" +
    ' for (const t of process.getActiveResourcesInfo()) c[t] = (c[t] || 0) + 1; return c; })()';
  return evaluateValue<Record<string, number> | null>(session, expression, signal);
}
