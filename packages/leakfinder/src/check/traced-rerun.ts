/**
 * The short second run behind `--alloc-stacks rerun` (issue #12): once the measured run has found which groups
 * grow, the server is started again with `--track-heap-objects` in NODE_OPTIONS, driven with a few hundred of
 * the same requests, and snapshotted once. That snapshot carries an exact allocation stack for every object
 * (tracking from process start keeps long-lived objects' stacks; CDP tracking loses them, see
 * docs/creation-sites.md), and the growing groups are looked up in it by their keys. The measured run itself
 * runs without any allocation profiler, so its timings and verdict are those of `--alloc-stacks off`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LaunchedServer } from '../runner/launch.js';
import { LoadDriver, type RequestPlan } from '../runner/load.js';
import { takeCheckpoint } from '../runner/checkpoints.js';
import { explainSnapshotGroups, summarizeSnapshot } from './snapshot-engine.js';
import type { SourceSite } from '../detect/finding.js';

/** What the rerun needs from `check`: how to stop the first server, start a traced one and drive it. */
export interface TracedRerunContext {
  /** Stops the measured server first: a server on a fixed `--port` cannot run twice. */
  readonly stopMeasuredServer: () => Promise<void>;
  /** Starts the server again with `env` (NODE_OPTIONS gets `--track-heap-objects`). */
  readonly launch: (env: NodeJS.ProcessEnv) => Promise<LaunchedServer>;
  /** The environment the measured server had (undefined: this process's). */
  readonly env: NodeJS.ProcessEnv | undefined;
  /** The measured run's request plan, without its base URL. */
  readonly plan: Omit<RequestPlan, 'baseUrl'>;
  /** The run's private (0700) snapshot directory; the rerun's snapshot goes to a folder inside it. */
  readonly directory: string;
  /** Keep the rerun's snapshot (with `--keep-snapshots`). */
  readonly keepSnapshot?: boolean;
  readonly onProgress?: (message: string) => void;
}

/**
 * Requests of the rerun. Enough for every per-request leak of the measured run to have objects in the
 * snapshot (a leak of one object per tenth request leaves 30), few enough that tracking's cost per
 * allocation (about 5x on the request phase) stays a few seconds. Measured: docs/creation-sites.md.
 */
export const kRerunRequests = 300;

/** The rerun's outcome: the traced server (still running, for its scripts) and the stacks of each group key. */
export interface TracedRerun {
  readonly server: LaunchedServer;
  readonly rawStacks: ReadonlyMap<string, readonly { readonly frames: readonly SourceSite[]; readonly count: number }[]>;
  readonly requests: number;
  readonly durationMs: number;
  /** Call when done with `server` (stops it, removes the snapshot unless kept). */
  readonly close: () => Promise<void>;
}

/** Appends `--track-heap-objects` to NODE_OPTIONS. */
export function withTrackHeapObjects(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const base = env ?? process.env;
  return { ...base, NODE_OPTIONS: `${base['NODE_OPTIONS'] ?? ''} --track-heap-objects`.trim() };
}

/**
 * Runs the traced second run for `keys`. Throws when the server cannot be started again or the snapshot
 * fails; the caller turns that into a warning (the findings then keep no creation site).
 */
export async function runTracedRerun(keys: readonly string[], context: TracedRerunContext, signal?: AbortSignal): Promise<TracedRerun> {
  const started = performance.now();
  await context.stopMeasuredServer();
  context.onProgress?.(`creation sites: a short second run with allocation tracking (${kRerunRequests} requests)`);
  const server = await context.launch(withTrackHeapObjects(context.env));
  const directory = await mkdtemp(join(context.directory, 'rerun-'));
  const close = async (): Promise<void> => {
    await server.stop();
    if (context.keepSnapshot !== true) await rm(directory, { recursive: true, force: true });
  };
  try {
    const load = new LoadDriver({ ...context.plan, baseUrl: server.baseUrl });
    try {
      await load.run(kRerunRequests, { signal });
    } finally {
      load.close();
    }
    const checkpoint = await takeCheckpoint(server.session, { index: 0, requestsSent: load.sent, directory, signal });
    const explained = await explainSnapshotGroups(checkpoint.snapshotPath, keys, { signal });
    const rawStacks = new Map(explained.map((e) => [e.key, e.creationStacks]));
    const missing = keys.filter((k) => (rawStacks.get(k) ?? []).length === 0);
    if (missing.length > 0) {
      // Class keys carry V8 script ids (`Foo@57:3:1`), which another process may number differently (code
      // compiled at run time, like ajv's validators): match those groups by key without the script id.
      const groups = await summarizeSnapshot(checkpoint.snapshotPath, { signal });
      const byLooseKey = new Map<string, string[]>();
      for (const g of groups) byLooseKey.set(looseKey(g.key), [...(byLooseKey.get(looseKey(g.key)) ?? []), g.key]);
      const renamed = new Map<string, string>();
      for (const key of missing) {
        const candidates = byLooseKey.get(looseKey(key)) ?? [];
        if (candidates.length === 1 && candidates[0] !== key) renamed.set(candidates[0]!, key);
      }
      if (renamed.size > 0) {
        for (const e of await explainSnapshotGroups(checkpoint.snapshotPath, [...renamed.keys()], { signal })) {
          rawStacks.set(renamed.get(e.key)!, e.creationStacks);
        }
      }
    }
    return {
      server,
      rawStacks,
      requests: load.sent,
      durationMs: performance.now() - started,
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** A group key without V8 script ids: `Foo@57:3:1 via …` → `Foo@:3:1 via …`. */
export function looseKey(key: string): string {
  return key.replace(/@\d+:(\d+):(\d+)/g, '@:$1:$2');
}
