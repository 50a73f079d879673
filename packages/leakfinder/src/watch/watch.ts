/**
 * `watch`: the leak finder for a Node process that is already running, under its own traffic (issue #14).
 * Attaches (opening the inspector if needed), counts the target's HTTP requests through diagnostics_channel,
 * and measures at checkpoints every N requests (or T seconds): forced GC + snapshot in `snapshot` mode, the
 * sampling heap profiler's live bytes per site in `sampling` mode. Whatever ends it (duration, request count,
 * abort, the target's exit, an error), the target is restored: profilers stopped, the counter removed, the
 * console buffer dropped, and the inspector closed again if we opened it.
 */
import { rm } from 'node:fs/promises';
import type { HeapPoint } from '../detect/heap-growth.js';
import type { SitePoint } from '../detect/site-growth.js';
import { decideSnapshotHeadroom } from '../detect/snapshot-headroom.js';
import type { GroupSample } from '../detect/series.js';
import { makePrivateDirectory } from '../check/private-directory.js';
import { LeakfinderError } from '../errors.js';
import { evaluateValue, readMemoryUsage } from '../inspector/heap.js';
import { readSamplingProfile, startSamplingHeapProfiler } from '../inspector/allocation-tracking.js';
import type { CheckReport } from '../report/model.js';
import { attachToAddress, attachToPid, type AttachedTarget } from '../runner/attach.js';
import { takeCheckpoint, type Checkpoint } from '../runner/checkpoints.js';
import { readMemoryBounds } from '../runner/memory-headroom.js';
import { summarizeSnapshot } from '../check/snapshot-engine.js';
import { checkpointDue, minGapMsOf } from './checkpoint-due.js';
import { samplingIntervalFor } from './sampling-interval.js';
import { siteBytesOf, type SiteBytes } from './sampled-sites.js';
import { installRequestCounter, readRequestCount, removeRequestCounter } from './request-counter.js';
import { resolveWatchOptions, watchDefaults, type ResolvedWatchOptions, type WatchOptions } from './watch-options.js';
import { buildWatchReport, currentCandidates } from './watch-report.js';

export { parseDurationMs, watchDefaults, type WatchMode, type WatchOptions } from './watch-options.js';

/** Everything a watch accumulates; kept when it breaks off, so nothing measured is lost. */
export interface WatchState {
  readonly startedAt: number;
  readonly directory: string;
  target: AttachedTarget | undefined;
  /** Snapshot mode's checkpoints and their group summaries (read in a worker, one at a time). */
  readonly checkpoints: (Checkpoint & { readonly x: number })[];
  readonly summaries: Promise<GroupSample[]>[];
  /** Sampling profiles reduced to live bytes per site, at each checkpoint. */
  readonly sitePoints: SitePoint[];
  /** The live heap right after each profile read's full GC: what the sampled sites should explain. */
  readonly heapPoints: HeapPoint[];
  lastSites: SiteBytes | undefined;
  readonly warnings: string[];
  readonly skippedSnapshots: string[];
  mode: 'snapshot' | 'sampling';
  requests: number;
  /** Responses by status class (index 2 = 2xx … 5 = 5xx). */
  byStatus: readonly number[];
  longestPauseMs: number;
  /** The pause of the last checkpoint (its profile read, or GC + snapshot): spaces the next one. */
  lastPauseMs: number;
  /** Time the target spent paused by us (GC + snapshots, profile reads): not counted as time it worked. */
  pausedMs: number;
  samplingStarted: boolean;
  /** The sampling profiler's interval in use (given, or chosen by the request rate at the start); 0 before. */
  samplingIntervalBytes: number;
  endedBy: string;
  /** Why the run has no verdict whatever was measured (target exited, counter lost), or undefined. */
  broken: string | undefined;
  restored: boolean;
}

/**
 * Watches a running process and resolves with a report for every ending: `inconclusive` with a reason when
 * the target exited or too little was measured. Rejects for bad options and when it cannot attach.
 */
export async function watch(input: WatchOptions & { onUpdate?: (report: CheckReport) => void }): Promise<CheckReport> {
  const { onUpdate, ...rest } = input;
  const options = resolveWatchOptions(rest);
  const progress = options.onProgress ?? (() => undefined);
  const state: WatchState = {
    startedAt: performance.now(),
    directory: await makePrivateDirectory(options.keepSnapshotsDir, 'leakfinder-watch-'),
    target: undefined,
    checkpoints: [],
    summaries: [],
    sitePoints: [],
    heapPoints: [],
    lastSites: undefined,
    warnings: [],
    skippedSnapshots: [],
    mode: options.mode,
    requests: 0,
    byStatus: [],
    longestPauseMs: 0,
    lastPauseMs: 0,
    pausedMs: 0,
    samplingStarted: false,
    samplingIntervalBytes: 0,
    endedBy: 'interrupted',
    broken: undefined,
    restored: false,
  };
  const signal = options.signal;
  try {
    state.target =
      options.pid !== undefined
        ? await attachToPid(options.pid, { signal })
        : await attachToAddress(options.inspect!, { allowRemote: options.allowRemote, signal });
  } catch (error) {
    await rm(state.directory, { recursive: true, force: true });
    throw error;
  }
  const target = state.target;
  progress(
    `attached to pid ${target.pid} (Node ${target.nodeVersion}) at ${target.webSocketUrl}` +
      (target.openedInspector ? ' (inspector opened with SIGUSR1; it is closed again at the end)' : ''),
  );
  if (options.inspect !== undefined && options.allowRemote === true) {
    progress(`warning: the inspector at ${options.inspect} is reachable from the network; anyone who reaches it can run code in that process.`);
  }
  let keep = options.keepSnapshotsDir !== undefined;
  // Internal stop signal: the user's abort, the duration, or the target's exit all end the loop the same way.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const durationTimer = options.durationMs === undefined ? undefined : setTimeout(() => ((state.endedBy = 'duration'), stop.abort()), options.durationMs);
  target.session.closed.then(() => {
    if (!stop.signal.aborted) {
      state.endedBy = 'target-exited';
      state.broken = `the target (pid ${target.pid}) exited or closed its inspector during the watch`;
      stop.abort();
    }
  });
  try {
    await installRequestCounter(target.session, signal);
    await startSampling(state, options, stop.signal);
    if (stop.signal.aborted) throw new LeakfinderError('LF_ABORTED', 'the watch ended before it measured');
    progress(describeMode(options, state.samplingIntervalBytes));
    await loop(options, state, stop.signal, onUpdate);
  } catch (error) {
    if (!stop.signal.aborted || !isStopError(error)) {
      if (target.session.isClosed) {
        state.broken ??= `the target (pid ${target.pid}) exited or closed its inspector during the watch`;
        state.endedBy = 'target-exited';
      } else {
        await restore(state, progress);
        throw error;
      }
    }
  } finally {
    clearTimeout(durationTimer);
    signal?.removeEventListener('abort', onAbort);
  }
  let report: CheckReport;
  try {
    report = await buildWatchReport(options, state, progress);
    if (state.broken !== undefined) keep = true;
  } finally {
    await restore(state, progress);
    if (!keep) await rm(state.directory, { recursive: true, force: true });
  }
  // The report is built while attached (it reads the target's scripts); whether restoring worked is known after.
  return { ...report, watch: { ...report.watch!, restored: state.restored } };
}

/** Polls the counter; takes a checkpoint when enough requests (or time) passed; ends on `stop`. */
async function loop(options: ResolvedWatchOptions, state: WatchState, stop: AbortSignal, onUpdate: ((r: CheckReport) => void) | undefined): Promise<void> {
  const session = state.target!.session;
  const progress = options.onProgress ?? (() => undefined);
  let lastAt = performance.now();
  let lastRequests = 0;
  let silentWarned = false;
  await checkpoint(options, state, xOf(options, state));
  while (!stop.aborted) {
    // Each read is an evaluate in the target: read seldom while no checkpoint may come anyway.
    const gapLeftMs = minGapMsOf(gapInput(options, state)) - (performance.now() - lastAt);
    await delay(gapLeftMs > watchDefaults.pollMs ? Math.min(gapLeftMs, watchDefaults.pollInGapMs) : watchDefaults.pollMs, stop);
    if (stop.aborted) break;
    const seen = await readRequestCount(session);
    if (seen === null) {
      state.broken = 'the request counter disappeared from the target (another tool removed it?)';
      return;
    }
    const count = seen.requests;
    state.requests = count;
    state.byStatus = seen.byStatus;
    if (options.requests !== undefined && count >= options.requests) {
      state.endedBy = 'requests';
      await checkpoint(options, state, xOf(options, state));
      return;
    }
    const now = performance.now();
    const due = checkpointDue({
      per: options.per,
      nowMs: now,
      lastAtMs: lastAt,
      requests: count,
      lastRequests,
      everyRequests: options.everyRequests,
      everyMs: options.everyMs,
      ...gapInput(options, state),
    });
    if (!silentWarned && options.per === 'request' && count === 0 && now - state.startedAt > 30_000) {
      silentWarned = true;
      progress('no HTTP request reached the target in 30 s; if it serves none (a worker), use `--per time`.');
    }
    if (!due) continue;
    lastAt = now;
    lastRequests = count;
    await checkpoint(options, state, xOf(options, state));
    onUpdate?.(await buildWatchReport(options, state, () => undefined, { live: true }));
  }
}

/** What spaces checkpoints in time (checkpoint-due.ts). */
function gapInput(options: ResolvedWatchOptions, state: WatchState): { minGap: number | 'auto'; autoGapMs: number; lastPauseMs: number } {
  return { minGap: minGapFor(options), autoGapMs: watchDefaults.autoGapMs, lastPauseMs: state.lastPauseMs };
}

/**
 * The gap asked for. The pauses of --mode snapshot are the price the user chose: `auto` adds no gap there, also
 * after a snapshot that did not fit turned the run to sampling.
 */
function minGapFor(options: ResolvedWatchOptions): number | 'auto' {
  return options.minGapMs === 'auto' && options.mode === 'snapshot' ? 0 : options.minGapMs;
}

/**
 * The x of a checkpoint: requests served, or seconds the target ran since the start, without the time our own
 * snapshots held it (a worker paused for 3 s does 3 s less work, and would look like it slowed its leak down).
 */
function xOf(options: ResolvedWatchOptions, state: WatchState): number {
  return options.per === 'time' ? (performance.now() - state.startedAt - state.pausedMs) / 1000 : state.requests;
}

/** One checkpoint in the current mode; a snapshot that does not fit switches the run to sampling. */
async function checkpoint(options: ResolvedWatchOptions, state: WatchState, x: number): Promise<void> {
  const session = state.target!.session;
  const progress = options.onProgress ?? (() => undefined);
  const unit = options.per === 'time' ? 's' : ' requests';
  const index = state.sitePoints.length;
  // The sampling profile is read in both modes: it is the series of sampling mode, and creation sites in snapshot mode.
  const started = performance.now();
  const profile = await readSamplingProfile(session);
  const profileMs = performance.now() - started;
  state.longestPauseMs = Math.max(state.longestPauseMs, profileMs);
  state.lastPauseMs = profileMs;
  state.pausedMs += profileMs;
  // The read was a full GC (checkpoint-due.ts): the heap used now is the live heap, for free.
  const usage = await session.call('Runtime.getHeapUsage', undefined, { timeoutMs: 10_000 }).catch(() => undefined);
  if (usage !== undefined) state.heapPoints.push({ x, heapUsedBytes: usage.usedSize });
  const sites = siteBytesOf(profile as Parameters<typeof siteBytesOf>[0]);
  state.lastSites = sites;
  state.sitePoints.push({ requests: x, bytesBySite: sites.bytesBySite });
  if (state.mode === 'sampling') {
    const top = currentCandidates(options, state)[0];
    progress(
      `checkpoint ${index} at ${Math.round(x)}${unit}: profile read in ${Math.round(profileMs)} ms` +
        (top ? `; rising: ${top.name} ${top.bytesPerRequest.toFixed(0)} B/${options.per === 'time' ? 's' : 'request'}` : ''),
    );
    return;
  }
  const decision = await snapshotHeadroom(state);
  if (!decision.safe) {
    const line = `snapshot ${index} not taken: ${decision.line}; going on in sampling mode`;
    state.skippedSnapshots.push(line);
    progress(line);
    state.mode = 'sampling';
    return;
  }
  const taken = await takeCheckpoint(session, { index: state.checkpoints.length, requestsSent: state.requests, directory: state.directory, idleMs: 0 });
  state.longestPauseMs = Math.max(state.longestPauseMs, taken.durationMs);
  state.lastPauseMs = taken.durationMs;
  state.pausedMs += taken.durationMs;
  state.checkpoints.push({ ...taken, x });
  const previous = state.summaries.at(-1)?.catch(() => undefined) ?? Promise.resolve();
  const summary = previous.then(() => summarizeSnapshot(taken.snapshotPath));
  summary.catch(() => undefined);
  state.summaries.push(summary);
  progress(
    `checkpoint ${index} at ${Math.round(x)}${unit}: heapUsed ${(taken.heapUsedBytes / 1048576).toFixed(1)} MiB, ` +
      `GC + snapshot paused the target ${Math.round(taken.durationMs)} ms`,
  );
}

/** Reads the target's heap and memory bounds and decides whether a snapshot fits. */
export async function snapshotHeadroom(state: WatchState): Promise<ReturnType<typeof decideSnapshotHeadroom>> {
  const session = state.target!.session;
  const heap = await evaluateValue<{ used: number; limit: number }>(
    session,
    "(() => { const s = (globalThis.process.getBuiltinModule?.('v8') ?? require('v8')).getHeapStatistics(); return { used: s.used_heap_size, limit: s.heap_size_limit }; })()",
  ).catch(async () => ({ used: (await readMemoryUsage(session)).heapUsedBytes, limit: 0 }));
  return decideSnapshotHeadroom({
    heapUsedBytes: heap.used,
    heapLimitBytes: heap.limit,
    bounds: readMemoryBounds(state.target!.pid),
    nativeBytesPerHeapByte: watchDefaults.nativeBytesPerHeapByte,
  });
}

/** Starts the sampling profiler; without a given interval, first measures the request rate to choose one. */
async function startSampling(state: WatchState, options: ResolvedWatchOptions, stop: AbortSignal): Promise<void> {
  const session = state.target!.session;
  let interval = options.samplingIntervalBytes;
  if (interval === 'auto') {
    let rate: number | null = null;
    // Snapshot mode pauses the target for seconds anyway, and its profile serves creation sites: the fine interval.
    if (options.per === 'request' && options.mode === 'sampling') {
      const before = await readRequestCount(session, options.signal);
      const startedAt = performance.now();
      await delay(watchDefaults.rateProbeMs, stop);
      const after = await readRequestCount(session, options.signal);
      if (before !== null && after !== null) rate = (after.requests - before.requests) / ((performance.now() - startedAt) / 1000);
    }
    interval = samplingIntervalFor(rate);
    if (rate !== null) (options.onProgress ?? (() => undefined))(`the target serves ${Math.round(rate)} requests/s: sampling one allocation per ~${interval / 1024} KiB`);
  }
  state.samplingIntervalBytes = interval;
  await startSamplingHeapProfiler(session, { samplingIntervalBytes: interval, signal: options.signal });
  state.samplingStarted = true;
}

/**
 * Leaves the target as it was found; never throws. Each step is tried even when an earlier one failed, and
 * `state.restored` says whether all of them succeeded.
 */
export async function restore(state: WatchState, progress: (m: string) => void): Promise<void> {
  const target = state.target;
  if (target === undefined || state.restored) return;
  state.target = undefined;
  const session = target.session;
  let ok = true;
  const step = async (what: string, run: () => Promise<unknown>): Promise<void> => {
    if (session.isClosed) return;
    try {
      await run();
    } catch (error) {
      ok = false;
      progress(`could not ${what} in pid ${target.pid}: ${(error as Error).message}`);
    }
  };
  if (state.samplingStarted) await step('stop the sampling heap profiler', () => session.call('HeapProfiler.stopSampling', undefined, { timeoutMs: 30_000 }).catch(() => undefined));
  await step('disable the heap profiler', () => session.call('HeapProfiler.disable', undefined, { timeoutMs: 10_000 }));
  await step('remove the request counter', () => removeRequestCounter(session));
  // V8 keeps console.log arguments alive while an inspector is attached: let them go.
  await step('drop the console buffer', () => session.call('Runtime.discardConsoleEntries', undefined, { timeoutMs: 10_000 }));
  const left = await target.detach();
  if (left !== null) {
    ok = false;
    progress(left);
  }
  state.restored = ok;
  if (target.openedInspector && left === null) progress(`detached; the inspector of pid ${target.pid} is closed again`);
}

function describeMode(options: ResolvedWatchOptions, samplingIntervalBytes: number): string {
  const minGap = minGapFor(options);
  const gapMs = minGap === 'auto' ? watchDefaults.autoGapMs : minGap;
  const gap = gapMs > 0 ? `at least ${gapMs / 1000} s apart` : '';
  const every = (options.per === 'time' ? `every ${Math.round(options.everyMs / 1000)} s` : `every ${options.everyRequests} requests`) + (gap ? ` and ${gap}` : '');
  const until = [
    options.durationMs !== undefined ? `${Math.round(options.durationMs / 1000)} s` : '',
    options.requests !== undefined ? `${options.requests} requests` : '',
  ].filter((s) => s !== '');
  // The measured costs (bench/watch-overhead.mjs, docs/watch.md), so the user knows what the target pays.
  const cost =
    options.mode === 'snapshot'
      ? 'each checkpoint forces full GCs and a heap snapshot, pausing the target (measured: seconds even for a 8 MB heap on a busy 2-core machine) and needing up to ~16x its heap in native memory'
      : `V8's sampling heap profiler, one sample per ~${Math.round(samplingIntervalBytes / 1024)} KiB allocated (measured on a server at 5–8k requests/s: 16 KiB cost it ~10% of its requests/s, 64 KiB ~6%), and at each checkpoint a profile read, which V8 makes a full GC (tens of ms on a small heap; checkpoints are spaced so these pauses stay near 1% of the time); one snapshot at the end if memory allows`;
  return `${options.mode} mode, checkpoint ${every}, until ${until.length > 0 ? until.join(' or ') : 'Ctrl-C'}: ${cost}`;
}

function isStopError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (LeakfinderError.is(error) && (error.code === 'LF_ABORTED' || error.code === 'LF_INSPECTOR_FAILED')));
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolvePromise();
    }
  });
}

export type { SitePoint };
