// Refined kinds on findings shaped like the ones `check` produced on the fixture servers (paths copied from
// real reports of leak-koa-listener, leak-express-winston, leak-fastify-interval, leak-express-proxy-socket,
// leak-express-buffers, leak-express-parked-promise).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from './finding.js';
import { refineFindings, type KindMeasurement } from './refine-kind.js';

function finding(className: string, path: string[], holder: string | null, extra: Partial<Finding> = {}): Finding {
  return {
    kind: 'per-request-growth', className, group: `${className} via x`, countPerRequest: 1, bytesPerRequest: 100, fitR2: 1,
    retainerPath: ['(GC roots)', ...path], holder: holder === null ? null : { description: holder, file: null, line: null },
    creationSite: null, creationStack: [], creationSites: [], evidence: { counts: [10, 110, 210, 310, 410], firstCheckpoint: 0 }, advice: 'generic',
    ...extra,
  };
}

/** Five checkpoints 100 requests apart; `per` gives each measured quantity's growth per request. */
function checkpoints(per: { heap?: number; external?: number; resources?: Record<string, number> } = {}): KindMeasurement[] {
  return [0, 100, 200, 300, 400].map((requests) => ({
    requests,
    heapUsedBytes: 7_000_000 + (per.heap ?? 0) * requests,
    externalBytes: 2_000_000 + (per.external ?? 0) * requests,
    arrayBuffersBytes: 16_000 + (per.external ?? 0) * requests,
    activeResources: { TCPSocketWrap: 8, ...Object.fromEntries(Object.entries(per.resources ?? {}).map(([k, v]) => [k, 8 + v * requests])) },
  }));
}

test('a listener per request on an app bus is listener-growth naming the emitter, the event and the warning', () => {
  const f = finding('(closure)', ['(closure scope)', 'EventEmitter `bus`', 'Object `_events`', 'Array `config-changed`', 'onConfigChanged() `[620]`'], "listener `'config-changed'` on an EventEmitter", {
    creationStack: [{ functionName: '(anonymous)', file: '/srv/app.mjs', line: 10, column: 7 }],
  });
  const warning = "(node:1) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 config-changed listeners added to [EventEmitter]. MaxListeners is 10.";
  const [r] = refineFindings([f], { checkpoints: checkpoints(), serverWarnings: [warning] });
  assert.equal(r!.kind, 'listener-growth');
  assert.equal(r!.evidence.emitter, 'EventEmitter `bus`');
  assert.equal(r!.evidence.event, 'config-changed');
  assert.deepEqual(r!.evidence.listenerCounts, [10, 110, 210, 310, 410]);
  assert.deepEqual(r!.evidence.addedAt, { functionName: '(anonymous)', file: '/srv/app.mjs', line: 10, column: 7 });
  assert.deepEqual(r!.evidence.maxListenersWarnings, [warning]);
  assert.match(r!.advice, /bus\.off\('config-changed'/);
  assert.equal(r!.className, '(closure)', 'class, holder and site are kept');
  assert.equal(r!.holder, f.holder);
});

test('a per-request logger adding a process listener is listener-growth on process; its warning is quoted, another event\'s is not', () => {
  const f = finding('ExceptionHandler', ['global', 'process `_process`', 'Object `_events`', 'Array `uncaughtException`', 'native_bind() `[698]`', 'ExceptionHandler `bound_this`'], "listener `'uncaughtException'` on a process");
  const other = finding('Object', ['TimersList `[6000]`', 'native_bind() `_onTimeout`', 'Socket `bound_this`', 'Object `_events`', 'native_bind() `close`', 'Object `bound_argument_1`'], "listener `'close'` on a Socket");
  const warning = '(node:2) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 uncaughtException listeners added to [process].';
  const [a, b] = refineFindings([f, other], { checkpoints: checkpoints(), serverWarnings: [warning] });
  assert.equal(a!.kind, 'listener-growth');
  assert.equal(a!.evidence.emitter, 'process');
  assert.equal(a!.evidence.event, 'uncaughtException');
  assert.deepEqual(a!.evidence.maxListenersWarnings, [warning]);
  assert.match(a!.advice, /once at startup/);
  assert.equal(b!.kind, 'listener-growth');
  assert.equal(b!.evidence.emitter, 'a Socket', 'an internal slot (`bound_this`) is not a name');
  assert.deepEqual(b!.evidence.maxListenersWarnings, []);
});

test('a module Map reached through the server\'s request listener is not listener-growth', () => {
  const f = finding('Order', ['Server `bound_this`', 'Object `_events`', 'handleRequest() `request`', '(closure scope)', 'Map `orders`', 'Order `<key>`'], 'Map `orders` in module app.mjs');
  assert.equal(refineFindings([f], { checkpoints: checkpoints() })[0]!.kind, 'per-request-growth');
});

test('what an uncleared timer\'s callback captures is folded into the timer\'s finding, whichever comes first', () => {
  const timer = finding('Timeout', ['setInterval() `setInterval`', '(closure scope)', 'Object `timerListMap`', 'TimersList `[3600000]`', 'Timeout `_idleNext`'], 'Object `timerListMap` in module node:timers');
  const captured = finding('(string)', ['Object `timerListMap`', 'TimersList `[3600000]`', 'Timeout `_idleNext`', '(anonymous)() `_onTimeout`', '(closure scope)', '(string)'], null);
  const elsewhere = finding('Visit', ['(closure scope)', 'Set `visits`', 'Visit'], 'Set `visits` in module server.mjs');
  for (const order of [[captured, timer, elsewhere], [timer, captured, elsewhere]]) {
    const out = refineFindings(order, { checkpoints: checkpoints({ resources: { Timeout: 1 } }) });
    assert.deepEqual(out.map((r) => `${r.kind} ${r.className}`), ['handle-growth Timeout', 'per-request-growth Visit']);
    const folded = out[0]!.evidence.alsoGrowing as { group: string }[];
    assert.deepEqual(folded.map((g) => g.group), ['(string) via x']);
  }
});

test('an uncleared interval is handle-growth with the live Timeout counts', () => {
  const f = finding('Timeout', ['setInterval() `setInterval`', '(closure scope)', 'Object `timerListMap`', 'TimersList `[3600000]`', 'Timeout `_idleNext`'], 'Object `timerListMap` in module node:timers');
  const [r] = refineFindings([f], { checkpoints: checkpoints({ resources: { Timeout: 1 } }) });
  assert.equal(r!.kind, 'handle-growth');
  assert.equal(r!.evidence.handleType, 'timer');
  assert.deepEqual((r!.evidence.handles as Record<string, { counts: number[] }>).Timeout!.counts, [8, 108, 208, 308, 408]);
  assert.match(r!.advice, /clearInterval/);
});

test('both ends of a stuck proxy connection are one handle-growth finding', () => {
  const socket = finding('Socket', ['(closure scope)', 'Agent `agent`', 'Object `sockets`', 'Array `<key>`', 'Socket `[592]`'], 'Agent `agent` in module proxy.mjs');
  const wrap = finding('Node / TCPSocketWrap', ['Node / TCPSocketWrap'], null);
  const out = refineFindings([socket, wrap], { checkpoints: checkpoints({ resources: { TCPSocketWrap: 2 } }) });
  assert.equal(out.length, 1);
  assert.equal(out[0]!.kind, 'handle-growth');
  assert.equal(out[0]!.evidence.handleType, 'socket');
  assert.deepEqual((out[0]!.evidence.alsoGrowing as { group: string }[]).map((g) => g.group), ['Node / TCPSocketWrap via x']);
  assert.match(out[0]!.advice, /destroy/);
});

test('kept Buffers are external-growth when external bytes rise and the heap is flat, not when the heap rises as fast', () => {
  const f = finding('Buffer', ['(closure scope)', 'Array `recentPayloads`', 'Buffer `[398]`'], 'Array `recentPayloads` in module app.mjs', {
    evidence: { counts: [1, 2, 3, 4, 5], firstCheckpoint: 0, alsoGrowing: [{ group: 'ArrayBuffer via Buffer `[]`', countPerRequest: 1, bytesPerRequest: 100 }] },
  });
  const [r] = refineFindings([f], { checkpoints: checkpoints({ external: 16_384, heap: 10 }) });
  assert.equal(r!.kind, 'external-growth');
  assert.ok(Math.abs((r!.evidence.externalBytesPerRequest as number) - 16_384) < 1);
  assert.deepEqual(r!.evidence.backingStoreHolders, ['Buffer', 'ArrayBuffer']);
  assert.match(r!.advice, /recentPayloads/);
  assert.equal(refineFindings([f], { checkpoints: checkpoints({ external: 300, heap: 400 }) })[0]!.kind, 'per-request-growth');
});

test('parked promises are promise-growth; V8 shapes growing beside a refined leak are folded into it', () => {
  const f = finding('Promise', ['(closure scope)', 'Array `waiters`', '(anonymous)() `[625]`', '(closure scope)', 'Promise'], 'Array `waiters` in module app.mjs', { countPerRequest: 4 });
  const shapes = finding('(object shape)', ['Object `zlib`', '(Map) `back_pointer`'], null);
  const out = refineFindings([f, shapes], { checkpoints: checkpoints() });
  assert.equal(out.length, 1);
  assert.equal(out[0]!.kind, 'promise-growth');
  assert.equal(out[0]!.evidence.pendingPromisesPerRequest, 4);
  assert.match(out[0]!.advice, /Settle or drop/);
});

test('a plain collection leak and session findings are left as they are', () => {
  const plain = finding('Visit', ['(closure scope)', 'Set `visits`', 'Visit'], 'Set `visits` in module app.mjs');
  const session = { ...plain, kind: 'session-per-request' as const };
  const out = refineFindings([plain, session], { checkpoints: checkpoints({ resources: { Timeout: 1 } }) });
  assert.deepEqual(out.map((f) => f.kind), ['per-request-growth', 'session-per-request']);
  assert.equal(out[0]!.advice, 'generic');
});
