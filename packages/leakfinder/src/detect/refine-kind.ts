/**
 * Refined finding kinds (#16): a `per-request-growth` finding says *what* grows; this says *which kind of
 * leak* it is, so the advice can name the fix. Pure: it reads the findings (retainer path, holder, class) and
 * what was measured at each checkpoint (`process.memoryUsage()`, `process.getActiveResourcesInfo()` counts,
 * the server's warning lines), so `check` and `watch` call it the same way.
 *
 * Order of precedence, most precise first (a leak is reported once, as one kind):
 * 1. `listener-growth`: the nearest holder is an EventEmitter's `_events` (heap fact: listeners live there).
 * 2. `handle-growth`: the objects are timers, sockets, servers or file handles, or are held by Node's timer
 *    lists (`TimersList`), and the live handles of that type rise per request.
 * 3. `promise-growth`: what grows are Promises that never settle (kept with their resolve functions).
 * 4. `external-growth`: Buffers / ArrayBuffers, while `external` bytes rise per request much faster than the
 *    JS heap (a Buffer's bytes are outside the heap).
 * Everything else stays `per-request-growth`; `session-per-request` is left as it is.
 */
import type { Finding, FindingKind } from './finding.js';
import { leastSquares } from './series.js';

/** What was measured at one checkpoint, as the report's `checkpoints[]` rows carry it. */
export interface KindMeasurement {
  /** Measured requests when it was taken. */
  readonly requests: number;
  readonly heapUsedBytes: number;
  readonly externalBytes: number;
  readonly arrayBuffersBytes: number;
  /** `process.getActiveResourcesInfo()` counted by type; null or absent when it could not be read. */
  readonly activeResources?: Readonly<Record<string, number>> | null;
}

/** Input of {@link refineFindings}. */
export interface RefineInput {
  /** Every checkpoint of the run, in order (findings say in `evidence.firstCheckpoint` where their window starts). */
  readonly checkpoints: readonly KindMeasurement[];
  /** Warning lines the server printed (see {@link isProcessWarningLine}); quoted as evidence. */
  readonly serverWarnings?: readonly string[];
}

/** Thresholds of the refinement, by name (the report's `thresholds` lists them). */
export const refineLimits = {
  /** `external` must rise at least this much per request for `external-growth`. */
  minExternalBytesPerRequest: 256,
  /** ... and at least this many times faster than `heapUsed` ("the JS heap is nearly flat"). */
  minExternalToHeapRatio: 2,
  /** A handle type counts as rising per request from this slope on (handles per request). */
  minHandlesPerRequest: 0.05,
} as const;

/** True for a line of the server's output worth keeping as evidence (Node's process warnings about leaks). */
export function isProcessWarningLine(line: string): boolean {
  return /MaxListenersExceededWarning|Possible EventEmitter memory leak/.test(line);
}

const timerClasses = new Set(['Timeout', 'Immediate', 'TimersList']);
const socketClasses = new Set(['Socket', 'TLSSocket', 'TCP', 'TLSWrap', 'Pipe', 'ClientRequest', 'HTTPParser', 'Server', 'WriteWrap', 'ShutdownWrap']);
const fileClasses = new Set(['FileHandle', 'FSWatcher', 'StatWatcher', 'ReadStream', 'WriteStream', 'FSReqCallback', 'ChildProcess', 'Process']);
const bufferClasses = new Set(['Buffer', 'FastBuffer', 'Uint8Array', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'system / JSArrayBufferData', 'Uint16Array', 'Uint32Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Uint8ClampedArray']);

/** Resource types of `process.getActiveResourcesInfo()` that each family of classes shows up as. */
const resourceTypesOf: Readonly<Record<'timer' | 'socket' | 'file', RegExp>> = {
  timer: /^(Timeout|Immediate)$/,
  socket: /^(TCPSocketWrap|TCPWrap|TCPServerWrap|PipeWrap|TLSWrap|TTYWrap|UDPWrap|GetAddrInfoReqWrap|TCPConnectWrap|PipeConnectWrap|ShutdownWrap|WriteWrap)$/,
  file: /^(FSReqCallback|FSReqPromise|FileHandle|FileHandleCloseReq|FSEventWrap|StatWatcher|ProcessWrap|SignalWrap)$/,
};

/**
 * Gives each finding its most precise kind, with the kind's evidence added to `evidence` and advice that
 * names the fix. Class, group, holder, sites and slopes are kept; order is kept.
 */
export function refineFindings(findings: readonly Finding[], input: RefineInput): Finding[] {
  return foldSameLeak(findings.map((f) => (f.kind === 'per-request-growth' ? refineOne(f, input) : f)));
}

/**
 * One leak, one finding: refined findings of the same leak (two handle findings on the same rising handle
 * type, e.g. both ends of a stuck connection; two listener findings on the same emitter and event) become
 * one, and V8's own bookkeeping that grows along with a refined leak (`(object shape)`, `(code)`, `system /
 * …`) is folded into the first refined finding rather than reported as a `per-request-growth` of its own.
 * Folded groups are listed in `evidence.alsoGrowing`.
 */
function foldSameLeak(findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  const sameLeak = (a: Finding, b: Finding): boolean => {
    if (a.kind !== b.kind) return false;
    if (a.kind === 'handle-growth') return sameKeys(a.evidence.handles, b.evidence.handles) && a.evidence.handleType === b.evidence.handleType;
    if (a.kind === 'listener-growth') return a.evidence.emitter === b.evidence.emitter && a.evidence.event === b.evidence.event;
    return false;
  };
  for (const f of findings) {
    const firstRefined = out.find((o) => o.kind !== 'per-request-growth' && o.kind !== 'session-per-request');
    const host = f.kind === 'per-request-growth' && isV8Bookkeeping(f.className) ? firstRefined : out.find((o) => sameLeak(o, f));
    if (host === undefined) {
      out.push(f);
      continue;
    }
    foldInto(out, host, f);
  }
  // What a refined leak holds is part of it: a string captured by the callback of a timer that is never
  // cleared is kept by that timer (its path runs through a `Timeout`), and goes when the timer is cleared.
  // A second pass, because the holder's finding may come after the held one.
  for (const f of [...out]) {
    if (f.kind !== 'per-request-growth') continue;
    const host = out.find((o) => (o.kind === 'handle-growth' || o.kind === 'promise-growth') && pathRunsThrough(f.retainerPath, o.className));
    if (host === undefined) continue;
    foldInto(out, host, f);
    out.splice(out.indexOf(f), 1);
  }
  return out;
}

function foldInto(out: Finding[], host: Finding, f: Finding): void {
  const folded = [...alsoGrowing(host), { group: f.group, countPerRequest: f.countPerRequest, bytesPerRequest: f.bytesPerRequest }];
  out[out.indexOf(host)] = { ...host, evidence: { ...host.evidence, alsoGrowing: folded } };
}

/** True when a hop of the path (`Timeout \`_idleNext\``) is an object of `className`, before the path's last hop. */
function pathRunsThrough(path: readonly string[], className: string): boolean {
  return path.slice(0, -1).some((hop) => hop === className || hop.startsWith(`${className} `));
}

function sameKeys(a: unknown, b: unknown): boolean {
  const ka = Object.keys((a as object | undefined) ?? {}).sort().join();
  return ka !== '' && ka === Object.keys((b as object | undefined) ?? {}).sort().join();
}

/** V8's hidden classes, code and internal arrays: they grow with whatever leaks, never by themselves. */
function isV8Bookkeeping(className: string): boolean {
  return className === '(object shape)' || className === '(code)' || className === '(compiled code)' || className.startsWith('system /');
}

function refineOne(f: Finding, input: RefineInput): Finding {
  const window = windowOf(f, input.checkpoints);
  return listenerGrowth(f, input.serverWarnings ?? []) ?? handleGrowth(f, window) ?? promiseGrowth(f) ?? externalGrowth(f, window) ?? f;
}

function windowOf(f: Finding, checkpoints: readonly KindMeasurement[]): readonly KindMeasurement[] {
  const first = typeof f.evidence.firstCheckpoint === 'number' ? f.evidence.firstCheckpoint : 0;
  const window = checkpoints.slice(first);
  return window.length >= 3 ? window : checkpoints;
}

function refined(f: Finding, kind: FindingKind, evidence: Record<string, unknown>, advice: string): Finding {
  return { ...f, kind, evidence: { ...f.evidence, ...evidence }, advice };
}

/** `Foo \`bar\`` → `bar`; a step without a label → ''. */
const labelOf = (step: string | undefined): string => /`([^`]*)`$/.exec(step ?? '')?.[1] ?? '';
const classOfStep = (step: string | undefined): string => (step ?? '').replace(/ `[^`]*`$/, '');

/** The steps of an `_events` hop: emitter step, event name, index of the hop; null when the path has none. */
function eventsHop(path: readonly string[]): { emitter: string; event: string; at: number } | null {
  for (let i = path.length - 2; i >= 1; i--) {
    if (labelOf(path[i]) !== '_events') continue;
    const next = path[i + 1]!;
    // `Array \`uncaughtException\`` (several listeners) or `onChange() \`config-changed\`` (one).
    return { emitter: path[i - 1]!, event: labelOf(next), at: i };
  }
  return null;
}

function listenerGrowth(f: Finding, warnings: readonly string[]): Finding | null {
  const hop = eventsHop(f.retainerPath);
  const heldByListener = f.holder?.description.startsWith('listener `') === true;
  // Without the holder's word, the hop must be the last thing before the objects (listener, its array, a
  // bound function, the object it binds): a server's request listener far up the path says nothing.
  if (hop === null || (!heldByListener && (f.holder !== null || f.retainerPath.length - 1 - hop.at > 4))) return null;
  const emitterClass = classOfStep(hop.emitter);
  const emitterName = labelOf(hop.emitter);
  // A variable (`EventEmitter \`bus\`` right after a scope) is named; an internal slot (`bound_this`) is not.
  const isVariable = hop.at >= 2 && f.retainerPath[hop.at - 2] === '(closure scope)' && /^[A-Za-z_$][\w$]*$/.test(emitterName);
  const emitter = emitterClass === 'process' || emitterName === '_process' ? 'process' : isVariable ? hop.emitter : `a ${emitterClass}`;
  const event = hop.event === '' || hop.event === '<key>' ? /^listener `'([^']*)'`/.exec(f.holder?.description ?? '')?.[1] ?? '' : hop.event;
  const addedAt = firstUserFrame(f) ?? (f.holder?.file ? { functionName: '', file: f.holder.file, line: f.holder.line ?? 0, column: 0 } : null);
  const mentions = warnings.filter((w) => event === '' || w.includes(` ${event} `) || w.includes(`'${event}'`));
  const shown = (event === '' ? warnings : mentions).slice(0, 3);
  const emitterCode = emitter === 'process' ? 'process' : isVariable ? emitterName : 'emitter';
  // The listener is a method bound to a library object (winston's ExceptionHandler), not a user function.
  const perLogger = emitter === 'process' && !f.className.startsWith('(');
  const summary = [
    `≈${f.countPerRequest.toFixed(2)} listener(s) per request added to '${event}' on ${emitter}` +
      (addedAt ? `, at ${shortFile(addedAt.file)}:${addedAt.line}` : ''),
    ...shown.map((w) => `server said: ${w.trim()}`),
  ];
  return refined(
    f,
    'listener-growth',
    { emitter, event, listenerCounts: f.evidence.counts ?? [], addedAt, maxListenersWarnings: shown, summary },
    perLogger
      ? `Create the object that adds the '${event}' listener on process once at startup and reuse it (here a library object created per request adds one each time), or remove its listener when the request ends.`
      : `Remove the listener when the request ends (\`${emitterCode}.off('${event}', listener)\`, or \`once\`), or add it once at startup instead of per request.`,
  );
}

function handleGrowth(f: Finding, window: readonly KindMeasurement[]): Finding | null {
  const family = handleFamilyOf(f);
  const rising = risingResources(window);
  const matching = family === null ? [] : rising.filter((r) => resourceTypesOf[family].test(r.type));
  if (family === null) return null;
  const growing = matching.length > 0 ? matching : rising.filter((r) => family === 'socket' ? /Wrap$/.test(r.type) : false);
  const createdBy = firstUserFrame(f);
  const summary = [
    growing.length > 0
      ? `live ${growing.map((r) => `${r.type} ${r.counts.join(' → ')} (≈${r.perRequest.toFixed(2)}/request)`).join(', ')}`
      : `≈${f.countPerRequest.toFixed(2)} ${f.className} per request held by ${family === 'timer' ? "Node's timer lists" : 'open handles'}`,
    ...(createdBy ? [`created at ${shortFile(createdBy.file)}:${createdBy.line}${createdBy.functionName ? ` in ${createdBy.functionName}` : ''}`] : []),
  ];
  const advice =
    family === 'timer'
      ? 'Clear the timer: keep the id that `setInterval`/`setTimeout` returns and call `clearInterval`/`clearTimeout` when the request ends (or do the work once at startup).'
      : family === 'socket'
        ? 'Close the connection: destroy the upstream request or socket (`request.destroy()`) when the client goes away or your timeout answers, and set a timeout on it.'
        : 'Close the handle (`fileHandle.close()`, `watcher.close()`, `stream.destroy()`) when the request ends, also on errors.';
  return refined(
    f,
    'handle-growth',
    {
      handleType: family,
      handles: Object.fromEntries(growing.map((r) => [r.type, { counts: r.counts, perRequest: r.perRequest }])),
      createdAt: createdBy,
      summary,
    },
    advice,
  );
}

/** Which handle family a finding's objects belong to, from its class, its parts and its path's tail. */
function handleFamilyOf(f: Finding): 'timer' | 'socket' | 'file' | null {
  const classes = [f.className, ...alsoGrowingClasses(f)];
  // Native wrappers show as `Node / TCPSocketWrap` in snapshots: the same names as the resource types.
  const native = classes.filter((c) => c.startsWith('Node / ')).map((c) => c.slice('Node / '.length));
  for (const family of ['timer', 'socket', 'file'] as const) if (native.some((t) => resourceTypesOf[family].test(t))) return family;
  if (classes.some((c) => timerClasses.has(c)) || /timerListMap|TimersList/.test(f.holder?.description ?? '')) return 'timer';
  // The tail of the path: the objects themselves and what holds them directly.
  const tail = f.retainerPath.slice(-3).map(classOfStep);
  if (classes.some((c) => socketClasses.has(c)) || tail.some((c) => socketClasses.has(c))) return 'socket';
  if (classes.some((c) => fileClasses.has(c)) || tail.some((c) => fileClasses.has(c))) return 'file';
  if (tail.includes('TimersList') || tail.includes('Timeout')) return 'timer';
  return null;
}

function promiseGrowth(f: Finding): Finding | null {
  const classes = [f.className, ...alsoGrowingClasses(f)];
  if (f.className !== 'Promise' && !(isInternal(f.className) && classes.includes('Promise'))) return null;
  const promisesPerRequest = f.className === 'Promise' ? f.countPerRequest : (alsoGrowing(f).find((g) => g.group.startsWith('Promise'))?.countPerRequest ?? 0);
  const where = f.holder?.description ?? f.group;
  const createdBy = firstUserFrame(f);
  return refined(
    f,
    'promise-growth',
    {
      pendingPromisesPerRequest: promisesPerRequest,
      heldBy: where,
      createdAt: createdBy,
      summary: [
        `≈${promisesPerRequest.toFixed(2)} Promise(s) per request stay alive, held by ${where}: they never settle` +
          (createdBy ? ` (created at ${shortFile(createdBy.file)}:${createdBy.line})` : ''),
      ],
    },
    `Settle or drop the promise: resolve or reject what waits in ${where} (on a timeout, or when the request is aborted), or remove the waiter when the request ends.`,
  );
}

function externalGrowth(f: Finding, window: readonly KindMeasurement[]): Finding | null {
  if (window.length < 3) return null;
  const holders = [f.className, ...alsoGrowingClasses(f)].filter((c) => bufferClasses.has(c));
  if (holders.length === 0) return null;
  const x = window.map((c) => c.requests);
  const externalPerRequest = leastSquares(x, window.map((c) => c.externalBytes)).slope;
  const arrayBuffersPerRequest = leastSquares(x, window.map((c) => c.arrayBuffersBytes)).slope;
  const heapPerRequest = leastSquares(x, window.map((c) => c.heapUsedBytes)).slope;
  if (externalPerRequest < refineLimits.minExternalBytesPerRequest) return null;
  if (externalPerRequest < refineLimits.minExternalToHeapRatio * Math.max(0, heapPerRequest)) return null;
  const where = f.holder?.description ?? f.group;
  return refined(
    f,
    'external-growth',
    {
      externalBytesPerRequest: externalPerRequest,
      arrayBuffersBytesPerRequest: arrayBuffersPerRequest,
      heapUsedBytesPerRequest: heapPerRequest,
      externalBytes: window.map((c) => c.externalBytes),
      arrayBuffersBytes: window.map((c) => c.arrayBuffersBytes),
      backingStoreHolders: [...new Set(holders)],
      summary: [
        `≈${Math.round(externalPerRequest)} bytes per request outside the JS heap (external), ${Math.round(Math.max(0, heapPerRequest))} inside it`,
        `backing stores held by ${[...new Set(holders)].join(', ')} in ${where}`,
      ],
    },
    `Release the buffers: stop keeping them in ${where} (delete them when done, or bound it), or copy the few bytes you need; their memory is outside the JS heap.`,
  );
}

interface RisingResource {
  readonly type: string;
  readonly counts: number[];
  readonly perRequest: number;
}

/** Resource types whose live count rises per request over the window. */
function risingResources(window: readonly KindMeasurement[]): RisingResource[] {
  const known = window.filter((c) => c.activeResources != null);
  if (known.length < 3) return [];
  const types = new Set(known.flatMap((c) => Object.keys(c.activeResources!)));
  const out: RisingResource[] = [];
  for (const type of types) {
    const counts = known.map((c) => c.activeResources![type] ?? 0);
    const fit = leastSquares(known.map((c) => c.requests), counts);
    if (fit.slope >= refineLimits.minHandlesPerRequest && counts.at(-1)! > counts[0]!) out.push({ type, counts, perRequest: fit.slope });
  }
  return out.sort((a, b) => b.perRequest - a.perRequest);
}

function alsoGrowing(f: Finding): readonly { group: string; countPerRequest: number; bytesPerRequest: number }[] {
  return (f.evidence.alsoGrowing as { group: string; countPerRequest: number; bytesPerRequest: number }[] | undefined) ?? [];
}

/** Classes of the groups folded into a finding ("ArrayBuffer via Buffer …" → ArrayBuffer). */
function alsoGrowingClasses(f: Finding): string[] {
  return alsoGrowing(f).map((g) => g.group.split(' via ')[0]!);
}

function isInternal(className: string): boolean {
  return className.startsWith('(') || className.startsWith('system /') || className === 'Object';
}

/** The first frame of the creation stack in the user's code (not node_modules, not Node's own). */
function firstUserFrame(f: Finding): Finding['creationSite'] {
  const frame = f.creationStack.find((fr) => !isLibraryFrame(fr));
  return frame ?? (f.creationSite !== null && !isLibraryFrame(f.creationSite) ? f.creationSite : null);
}

/** Frames carry `library: true` in reports (#5); node_modules, `node:` and V8's own frames are libraries too. */
function isLibraryFrame(frame: Finding['creationStack'][number]): boolean {
  return (frame as { library?: boolean }).library === true || frame.file === '' || frame.file.startsWith('node:') || /[/\\]node_modules[/\\]/.test(frame.file);
}

function shortFile(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
