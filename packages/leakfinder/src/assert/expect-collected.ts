import { AssertionError } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { usageError } from '../errors.js';
import { chooseFullGc, eventLoopTurn, type FullGc } from './full-gc.js';
import { findRetainersOfProbed, type ProbedRetainers } from './find-probed-object.js';
import { makeSnapshotDirectory, removeSnapshotDirectory, writeInProcessSnapshot } from './in-process-snapshot.js';
import { openInProcessSession } from './in-process-session.js';

/** Options of {@link expectCollected}. */
export interface ExpectCollectedOptions {
  /** How long to keep collecting before failing (default 2,000 ms). */
  readonly timeoutMs?: number;
  /** Show data keys in the retainer path instead of `<key>` (default false). */
  readonly showValues?: boolean;
  /** Aborting rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** Defaults of {@link expectCollected}. */
export const expectCollectedDefaults = { timeoutMs: 2_000 } as const;

const knownKeys = new Set(['timeoutMs', 'showValues', 'signal']);

/**
 * Tags the object in the heap without holding it: a WeakMap entry whose value is a probe of this class. V8
 * writes a `part of key (… @id) -> value (LeakfinderCollectProbe …)` edge from the key to the value in heap
 * snapshots, so the snapshot names the object; `id` tells concurrent assertions apart.
 */
class LeakfinderCollectProbe {
  constructor(readonly id: string) {}
}

/**
 * Passes once `target` has been garbage-collected (forced full GCs, a FinalizationRegistry and a WeakRef
 * watch it); fails after `timeoutMs` with a node:assert `AssertionError` naming the retainer path and holder
 * of whatever still keeps it (`error.retainerPath`, `error.holder`). Pass a function to have the object
 * made for the check (`() => obj`): to check a function itself, return it from one. Drop your own
 * references before awaiting the result. Primitives reject with `LF_OPTION_INVALID`.
 * @example
 * let session = openSession();
 * const collected = expectCollected(session);
 * session.close(); session = undefined;
 * await collected;
 */
export function expectCollected(target: object | (() => object), options: ExpectCollectedOptions = {}): Promise<void> {
  let resolved: Required<Omit<ExpectCollectedOptions, 'signal'>> & Pick<ExpectCollectedOptions, 'signal'>;
  let watched: Watched;
  try {
    resolved = resolveOptions(options);
    // `value` is never captured by a closure, so it lives on this frame only and is gone once this returns.
    const value: unknown = typeof target === 'function' ? (target as () => unknown)() : target;
    watched = watch(value, typeof target === 'function');
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return waitForCollection(watched, resolved);
}

interface Watched {
  readonly ref: WeakRef<object>;
  readonly state: { finalized: boolean };
  readonly registry: FinalizationRegistry<undefined>;
  readonly probes: WeakMap<object, LeakfinderCollectProbe>;
  readonly probeId: string;
  readonly kind: string;
}

function watch(value: unknown, fromFactory: boolean): Watched {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    const what = value === null ? 'null' : typeof value;
    throw usageError(
      `expectCollected(): ${fromFactory ? 'the function returned' : 'got'} ${what}; only objects and functions can be garbage-collected ` +
        '(pass the object, or a function that returns it).',
    );
  }
  if (fromFactory && typeof (value as { then?: unknown }).then === 'function') {
    throw usageError('expectCollected(): the function returned a Promise; await it first and pass what it resolves to.');
  }
  const state = { finalized: false };
  const registry = new FinalizationRegistry<undefined>(() => {
    state.finalized = true;
  });
  registry.register(value, undefined);
  const probeId = [...randomUUID()].join(''); // flat: V8 names a concatenated string `(concatenated string)`
  const probes = new WeakMap<object, LeakfinderCollectProbe>();
  probes.set(value, new LeakfinderCollectProbe(probeId));
  const kind = typeof value === 'function' ? 'function' : Array.isArray(value) ? 'array' : ((value as object).constructor?.name ?? 'object');
  return { ref: new WeakRef(value), state, registry, probes, probeId, kind };
}

function resolveOptions(input: ExpectCollectedOptions): Required<Omit<ExpectCollectedOptions, 'signal'>> & Pick<ExpectCollectedOptions, 'signal'> {
  if (typeof input !== 'object' || input === null) throw usageError(`expectCollected(): options must be an object, got ${String(input)}.`);
  for (const key of Object.keys(input)) if (!knownKeys.has(key)) throw usageError(`expectCollected(): unknown option \`${key}\`.`);
  const timeoutMs = input.timeoutMs ?? expectCollectedDefaults.timeoutMs;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw usageError(`expectCollected(): \`timeoutMs\` must be a number ≥ 0, got ${String(input.timeoutMs)}.`);
  }
  return { timeoutMs, showValues: input.showValues ?? false, signal: input.signal };
}

async function waitForCollection(watched: Watched, options: { timeoutMs: number; showValues: boolean; signal?: AbortSignal }): Promise<void> {
  const session = openInProcessSession();
  try {
    const fullGc = chooseFullGc(session);
    const deadline = performance.now() + options.timeoutMs;
    // Always at least two rounds: the caller usually drops its reference right after calling us.
    for (let round = 0; ; round++) {
      options.signal?.throwIfAborted();
      if (await isCollected(watched, fullGc)) return;
      const leftMs = deadline - performance.now();
      if (round >= 1 && leftMs <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(leftMs, 25 * 2 ** round))));
    }
    throw await notCollectedError(watched, fullGc, options);
  } finally {
    session?.close();
  }
}

async function isCollected(watched: Watched, fullGc: FullGc): Promise<boolean> {
  // A WeakRef keeps its target alive until the end of the job that created or dereferenced it: collect in
  // a later one.
  await eventLoopTurn();
  await fullGc();
  await eventLoopTurn(); // FinalizationRegistry callbacks run as tasks after the GC
  return watched.state.finalized || watched.ref.deref() === undefined;
}

async function notCollectedError(watched: Watched, fullGc: FullGc, options: { timeoutMs: number; showValues: boolean }): Promise<AssertionError> {
  let found: ProbedRetainers | null = null;
  let why = '';
  const directory = makeSnapshotDirectory();
  try {
    await fullGc();
    const snapshot = writeInProcessSnapshot(directory, 'not-collected');
    found = await findRetainersOfProbed(snapshot.path, LeakfinderCollectProbe.name, watched.probeId, options.showValues);
  } catch (error) {
    why = ` (its retainers could not be read: ${(error as Error).message})`;
  } finally {
    removeSnapshotDirectory(directory);
  }
  const lines = [`expectCollected: the ${watched.kind} is still reachable after ${options.timeoutMs} ms of forced full GCs${why}`];
  if (found !== null) {
    if (found.holder !== null) {
      const at = found.holder.file !== null && found.holder.line !== null && !/:\d+\)$/.test(found.holder.description) ? ` (${found.holder.file}:${found.holder.line})` : '';
      lines.push(`  held by:       ${found.holder.description}${at}`);
    }
    lines.push(`  retainer path: ${found.retainerPath.length > 0 ? found.retainerPath.join(' → ') : '(only V8 internals hold it)'}`);
  } else if (why === '') {
    lines.push('  (the object was not found in the heap snapshot: it may have been collected just now)');
  }
  lines.push('  fix:           drop every reference to it (a module Map or Set, a listener, a closure, a timer) before awaiting expectCollected');
  const error = new AssertionError({ message: lines.join('\n'), operator: 'fail' });
  Object.assign(error, { retainerPath: found?.retainerPath ?? [], holder: found?.holder ?? null });
  return error;
}
