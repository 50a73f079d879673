/**
 * Counts the target's own HTTP requests without changing its code: `diagnostics_channel` subscribers to
 * `http.server.request.start` (requests) and `http.server.response.finish` (status classes), installed through the inspector. The count lives in a non-enumerable property
 * of `globalThis` under a fresh (unregistered) symbol, so nothing is added to the symbol registry and
 * {@link removeRequestCounter} leaves no trace: subscriber gone, property deleted, symbol unreachable.
 */
import { LeakfinderError } from '../errors.js';
import type { InspectorSession } from '../inspector/session.js';

/** The symbol's description; the property is found by it (`Object.getOwnPropertySymbols`). */
const kDescription = 'leakfinder.watch.requestCounter';
const kChannel = 'http.server.request.start';
const kFinishChannel = 'http.server.response.finish';

// `require` is in scope only through the command-line API in ES-module processes, and
// process.getBuiltinModule exists from Node 20.16: try the second, fall back to the first.
const loadChannel = `(globalThis.process.getBuiltinModule?.('node:diagnostics_channel') ?? require('node:diagnostics_channel'))`;
const findState = `Object.getOwnPropertySymbols(globalThis).find((s) => s.description === ${JSON.stringify(kDescription)})`;

const installExpression = `(() => {
  if (${findState} !== undefined) return 'busy';
  const dc = ${loadChannel};
  const state = {
    requests: 0,
    byStatus: [0, 0, 0, 0, 0, 0],
    onStart() { state.requests++; },
    onFinish(message) { const c = Math.floor((message?.response?.statusCode ?? 0) / 100); if (c >= 1 && c <= 5) state.byStatus[c]++; },
  };
  Object.defineProperty(globalThis, Symbol(${JSON.stringify(kDescription)}), { value: state, configurable: true, enumerable: false, writable: false });
  dc.subscribe(${JSON.stringify(kChannel)}, state.onStart);
  dc.subscribe(${JSON.stringify(kFinishChannel)}, state.onFinish);
  return 'ok';
})()`;

const readExpression = `(() => { const k = ${findState}; return k === undefined ? null : { requests: globalThis[k].requests, byStatus: globalThis[k].byStatus }; })()`;

const removeExpression = `(() => {
  const k = ${findState};
  if (k === undefined) return false;
  const dc = ${loadChannel};
  dc.unsubscribe(${JSON.stringify(kChannel)}, globalThis[k].onStart);
  dc.unsubscribe(${JSON.stringify(kFinishChannel)}, globalThis[k].onFinish);
  delete globalThis[k];
  return true;
})()`;

/**
 * `commandLineAPI` only where `require` may be needed (install, remove): it builds the console's API scope in
 * the target on every call, which the frequent read does not need.
 */
async function evaluate<T>(session: InspectorSession, expression: string, signal?: AbortSignal, commandLineAPI = true): Promise<T> {
  const reply = await session.call('Runtime.evaluate', { expression, returnByValue: true, silent: true, includeCommandLineAPI: commandLineAPI }, { signal, timeoutMs: 10_000 });
  if (reply.exceptionDetails) {
    const text = reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text;
    throw new LeakfinderError('LF_INSPECTOR_FAILED', `the request counter failed in the target: ${text.split('\n')[0]}`);
  }
  return reply.result.value as T;
}

/**
 * Subscribes the counter. Throws `LF_ATTACH_FAILED` when another `watch` already counts in this process
 * (two watchers would each remove the other's state).
 */
export async function installRequestCounter(session: InspectorSession, signal?: AbortSignal): Promise<void> {
  const result = await evaluate<string>(session, installExpression, signal);
  if (result === 'busy') {
    throw new LeakfinderError('LF_ATTACH_FAILED', 'another `leakfinder watch` is already watching this process; stop it first.');
  }
}

/** What the counter has seen since it was installed. */
export interface RequestCount {
  /** Requests that started. */
  readonly requests: number;
  /** Responses finished, by status class: index 2 is 2xx … 5 is 5xx. */
  readonly byStatus: readonly number[];
}

/** Requests and responses since the counter was installed; null when it is gone. */
export function readRequestCount(session: InspectorSession, signal?: AbortSignal): Promise<RequestCount | null> {
  return evaluate<RequestCount | null>(session, readExpression, signal, false);
}

/** Unsubscribes and deletes the counter; false when there was none. */
export function removeRequestCounter(session: InspectorSession, signal?: AbortSignal): Promise<boolean> {
  return evaluate<boolean>(session, removeExpression, signal);
}
