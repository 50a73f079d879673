import { AssertionError } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { addCreationSites } from '../check/alloc-stacks.js';
import { toGrowthFinding } from '../check/growth-finding.js';
import { explainSnapshotGroups } from '../check/snapshot-engine.js';
import { summarizeInThisThread } from '../snapshot/summary.js';
import { foldFindings, type Finding } from '../detect/finding.js';
import { defaultGrowthLimits, findPerRequestGrowth } from '../detect/per-request-growth.js';
import { buildGroupSeries, type GroupSample } from '../detect/series.js';
import type { SamplingProfile, SamplingProfileNode } from '../detect/sampling-growth.js';
import { usageError } from '../errors.js';
import { readSamplingProfile, startSamplingHeapProfiler, stopSamplingHeapProfiler } from '../inspector/allocation-tracking.js';
import { chooseFullGc, eventLoopTurn, type FullGc } from './full-gc.js';
import { makeSnapshotDirectory, removeSnapshotDirectory, writeInProcessSnapshot } from './in-process-snapshot.js';
import { openInProcessSession } from './in-process-session.js';
import { formatLeakMessage, type LeakReport } from './leak-report.js';

/** Options of {@link expectNoLeak}. */
export interface ExpectNoLeakOptions {
  /** Measured calls of the function, split evenly over `batches` (default 100). */
  readonly iterations?: number;
  /** Calls before the baseline snapshot, so lazy caches and compiled code settle (default 10). */
  readonly warmup?: number;
  /** Measured batches; one snapshot after each plus the baseline (default 4, at least 4: the growth rule needs 5 points). */
  readonly batches?: number;
  /** Class names whose growth is expected (`['Agent']`), as `check --ignore`. */
  readonly ignore?: readonly string[];
  /** Record where leaked objects are created with V8's sampling heap profiler (default true). */
  readonly creationSites?: boolean;
  /** Show data keys in retainer paths instead of `<key>` (default false: heap strings are never printed). */
  readonly showValues?: boolean;
  /** Aborting stops between calls and rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** The defaults, chosen so that one assertion on a small function takes well under 5 s (docs/assert.md). */
export const expectNoLeakDefaults = { iterations: 100, warmup: 10, batches: 4 } as const;

/** One sample per this many allocated bytes on average, while the measured batches run. */
const kSamplingIntervalBytes = 128;

const knownKeys = new Set(['iterations', 'warmup', 'batches', 'ignore', 'creationSites', 'showValues', 'signal']);

type ResolvedOptions = Required<Omit<ExpectNoLeakOptions, 'signal'>> & Pick<ExpectNoLeakOptions, 'signal'>;

function resolveOptions(input: ExpectNoLeakOptions): ResolvedOptions {
  if (typeof input !== 'object' || input === null) throw usageError(`expectNoLeak(): options must be an object, got ${String(input)}.`);
  for (const key of Object.keys(input)) if (!knownKeys.has(key)) throw usageError(`expectNoLeak(): unknown option \`${key}\`.`);
  const int = (name: string, value: number | undefined, fallback: number, min: number): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < min) throw usageError(`expectNoLeak(): \`${name}\` must be an integer ≥ ${min}, got ${String(value)}.`);
    return v;
  };
  const batches = int('batches', input.batches, expectNoLeakDefaults.batches, 4);
  const iterations = int('iterations', input.iterations, expectNoLeakDefaults.iterations, batches);
  return {
    iterations,
    batches,
    warmup: int('warmup', input.warmup, expectNoLeakDefaults.warmup, 0),
    ignore: input.ignore ?? [],
    creationSites: input.creationSites ?? true,
    showValues: input.showValues ?? false,
    signal: input.signal,
  };
}

/**
 * Fails when calling `fn` leaves objects behind. Runs `fn(i)` `warmup` times, then `iterations` times in
 * `batches`; after the warm-up and after each batch it forces a full GC and takes a heap snapshot of this
 * thread (in a private temp dir, removed afterwards). A group of objects (class + retainer signature) whose
 * live count rises with the calls, by the same rule as `leakfinder check`, fails the assertion with a
 * node:assert `AssertionError` that names the group, objects and bytes per call, holder, retainer path and
 * creation site; `error.leaks` has the same data. An error thrown by `fn` is rethrown as it is.
 * @example
 * await expectNoLeak(async () => { await handler(request()); });
 */
export async function expectNoLeak(fn: (iteration: number) => unknown, options: ExpectNoLeakOptions = {}): Promise<void> {
  if (typeof fn !== 'function') throw usageError(`expectNoLeak(): the first argument must be a function (one iteration), got ${typeof fn}.`);
  const resolved = resolveOptions(options);
  const { signal } = resolved;
  signal?.throwIfAborted();
  const session = openInProcessSession();
  const fullGc = chooseFullGc(session);
  const directory = makeSnapshotDirectory();
  let sampling = false;
  try {
    // Nothing below may keep a heap object per batch (a list of paths, of timings…): it would grow with the
    // calls and be reported. Snapshot names come from the batch number, timings go to a typed array.
    let call = 0;
    for (; call < resolved.warmup; call++) await runOnce(fn, call, signal);
    await checkpoint(fullGc, directory, 0, signal);
    if (resolved.creationSites && session !== null) {
      await startSamplingHeapProfiler(session, { samplingIntervalBytes: kSamplingIntervalBytes, signal });
      sampling = true;
    }
    const measuredAt = new Float64Array(resolved.batches + 1);
    for (let batch = 1; batch <= resolved.batches; batch++) {
      const end = Math.round((resolved.iterations * batch) / resolved.batches);
      for (let i = measuredAt[batch - 1]!; i < end; i++) await runOnce(fn, resolved.warmup + i, signal);
      measuredAt[batch] = end;
      await checkpoint(fullGc, directory, batch, signal);
    }
    call = resolved.warmup + resolved.iterations;
    let profile: SamplingProfile | undefined;
    if (sampling && session !== null) {
      // Read before the analysis: its own allocations would be sampled too.
      const read = await readSamplingProfile(session, { signal }).catch(() => undefined);
      profile = read === undefined ? undefined : withoutOwnAllocations(read);
      await stopSamplingHeapProfiler(session).catch(() => undefined);
      sampling = false;
    }
    const leaks = await findLeaks(directory, [...measuredAt], resolved, session, profile);
    if (leaks.length > 0) {
      const error = new AssertionError({ message: formatLeakMessage(leaks, resolved.iterations, resolved.warmup), operator: 'fail' });
      Object.assign(error, { leaks, iterations: resolved.iterations, warmup: resolved.warmup });
      throw error;
    }
  } finally {
    if (sampling && session !== null) await stopSamplingHeapProfiler(session).catch(() => undefined);
    session?.close();
    removeSnapshotDirectory(directory);
  }
}

async function runOnce(fn: (iteration: number) => unknown, iteration: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  await fn(iteration);
}

async function checkpoint(fullGc: FullGc, directory: string, index: number, signal: AbortSignal | undefined): Promise<void> {
  // Let callbacks the calls queued (resolved promises, immediates, 0 ms timers) finish before measuring.
  await eventLoopTurn();
  signal?.throwIfAborted();
  await fullGc();
  writeInProcessSnapshot(directory, `batch-${index}`);
}

/** Reads the snapshots (in a worker), applies the growth rule and explains what grows. */
async function findLeaks(
  directory: string,
  measuredAt: readonly number[],
  options: ResolvedOptions,
  session: ReturnType<typeof openInProcessSession>,
  profile: SamplingProfile | undefined,
): Promise<LeakReport[]> {
  const signal = options.signal;
  const paths = measuredAt.map((_, index) => `${directory}/batch-${index}.heapsnapshot`);
  const tables: GroupSample[][] = [];
  // On this thread, one at a time, now that every snapshot is taken (nothing here can show up in them): a
  // worker per file would compile the engine cold five times (measured: 700 ms of CPU per 5 MB snapshot in
  // a worker, 510 ms here), and each read needs a few times the snapshot's size in memory.
  for (const path of paths) {
    signal?.throwIfAborted();
    tables.push((await summarizeInThisThread(path, { signal })).groups);
  }
  const ignored = new Set(options.ignore);
  const series = buildGroupSeries(
    tables.map((groups, index) => ({ requests: measuredAt[index]!, groups: groups.filter((g) => !isIgnoredGroup(g, ignored)) })),
  );
  const assessment = findPerRequestGrowth(series, { ...defaultGrowthLimits, minCheckpoints: paths.length });
  if (assessment.growing.length === 0) return [];
  const explanations = await explainSnapshotGroups(paths.at(-1)!, assessment.growing.map((g) => g.series.key), {
    showValues: options.showValues,
    signal,
  });
  const unfolded = assessment.growing.map((g): Finding => {
    // check's finding, with calls where check has requests
    const finding = toGrowthFinding(g, explanations.find((e) => e.key === g.series.key), 0, paths.length);
    return { ...finding, advice: finding.advice.replaceAll('request', 'call') };
  });
  let findings = unfolded;
  if (profile !== undefined && session !== null) {
    const sited = await addCreationSites(unfolded, {
      mode: 'sampling',
      session,
      rawStacks: new Map(),
      groupKeyOf: () => undefined,
      sampledProfile: profile,
      signal,
    });
    findings = sited.findings;
  }
  return foldFindings(findings).map((f) => toLeakReport(f));
}

/** A group of one of the ignored classes, or held by an object of one (its signature starts with it). */
function isIgnoredGroup(group: GroupSample, ignored: ReadonlySet<string>): boolean {
  if (ignored.size === 0) return false;
  const nearestHolder = group.signature.split(/ `| in /)[0]?.trim() ?? '';
  return ignored.has(group.className) || ignored.has(nearestHolder);
}

function toLeakReport(f: Finding): LeakReport {
  return {
    group: f.group,
    className: f.className,
    objectsPerIteration: f.countPerRequest,
    bytesPerIteration: f.bytesPerRequest,
    holder: f.holder,
    retainerPath: f.retainerPath,
    creationSite: f.creationSite,
    creationStack: f.creationStack,
    advice: f.advice,
    iterations: (f.evidence['requests'] as number[] | undefined) ?? [],
    counts: (f.evidence['counts'] as number[] | undefined) ?? [],
    alsoGrowing: ((f.evidence['alsoGrowing'] as { group: string }[] | undefined) ?? []).map((g) => g.group),
  };
}

/**
 * leakfinder's own compiled files (dist/src/): objects it allocates are never the user's leak. Compared as
 * paths: Vitest's vite-node runs modules under plain paths, Node under file:// URLs.
 */
const ownCodePrefix = fileURLToPath(new URL('..', import.meta.url));

/**
 * The profile without samples allocated directly by leakfinder's own code (its state between batches is
 * alive at the end and would be joined to `Object` or `Array` groups).
 */
function withoutOwnAllocations(profile: SamplingProfile): SamplingProfile {
  const own = new Set<number>();
  const work: SamplingProfileNode[] = [profile.head];
  while (work.length > 0) {
    const node = work.pop()!;
    const url = node.callFrame.url.startsWith('file://') ? fileURLToPath(node.callFrame.url) : node.callFrame.url;
    // (its own tests live under dist/src/ too, and their allocations are the point)
    if (url.startsWith(ownCodePrefix) && !/\.(test|quality)\.js$/.test(url)) own.add(node.id);
    for (const child of node.children) work.push(child);
  }
  return { head: profile.head, samples: profile.samples.filter((s) => !own.has(s.nodeId)) };
}
