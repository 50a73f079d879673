/**
 * The string-free passes of the analysis on a second thread: shallow sizes (in place, in the shared
 * self-size column), the per-node pass of the class index, then the retainer-path BFS. They only read the
 * graph columns, which sit on SharedArrayBuffers (shared-column.ts), so on a 2-core machine they cost no
 * wall time: `analyzeGraph` starts this, computes dominators, then takes the results. Result arrays are
 * transferred, not copied.
 *
 * Shallow sizes are written in place, so exactly one thread may compute them. A shared state cell settles
 * who: the worker claims it when it starts; if this thread needs the sizes before the worker has claimed
 * them (a slow start), it claims them itself and the worker skips the pass. Nobody ever waits on a worker
 * that has not started, and a worker that claimed the pass is running a bounded loop.
 */
import { Worker } from 'node:worker_threads';
import type { HeapGraph } from './graph.js';
import type { KnownStrings } from './known-strings.js';
import { retainerTreeOf, type RetainerTree, type RetainerTreeColumns } from './paths.js';
import type { RawClassColumns, RawClassIndex } from './raw-classes.js';
import { isShared, sharedColumn } from './shared-column.js';
import { computeShallowSizes, type ShallowSizeColumns } from './shallow-sizes.js';

/** The columns the worker's passes read. */
export type SideAnalysisColumns = RetainerTreeColumns & RawClassColumns & ShallowSizeColumns;

/** What the worker gets: the columns (shared, not copied), the locations (copied, small) and string indexes. */
export interface SideAnalysisJob {
  readonly columns: SideAnalysisColumns;
  readonly known: KnownStrings;
  /** One cell, a ShallowState: who computes the shallow sizes, and whether they are done. */
  readonly shallowState: Int32Array;
}

/** The states of `shallowState`. */
export const enum ShallowState {
  Unclaimed = 0,
  WorkerComputing = 1,
  Done = 2,
  MainComputing = 3,
  WorkerFailed = 4,
}

/** Messages from the worker. */
export type SideAnalysisMessage =
  | { readonly kind: 'tree'; readonly parentEdge: Uint32Array }
  | { readonly kind: 'classes'; readonly raw: RawClassIndex }
  | { readonly kind: 'failed'; readonly message: string };

/** The passes running on the other thread. */
export interface SideAnalysis {
  readonly retainerTree: Promise<RetainerTree>;
  readonly rawClasses: Promise<RawClassIndex>;
  /**
   * Makes sure `graph.nodeSelfBytes` holds the shallow sizes: waits for the worker if it is computing
   * them, computes them on this thread if it has not started (or failed). Synchronous. Says who did.
   */
  ensureShallowSizes(): 'worker' | 'this-thread';
  /** Stops the worker (the caller gave up, e.g. on abort, or has everything). */
  cancel(): void;
}

/**
 * Starts the worker, or returns null when the columns are not shared memory (graphs built in memory by
 * tests, say): copying them would cost more than the passes save.
 */
export function startSideAnalysis(graph: HeapGraph, known: KnownStrings): SideAnalysis | null {
  const columns: SideAnalysisColumns = {
    nodeCount: graph.nodeCount,
    nodeSelfBytes: graph.nodeSelfBytes,
    root: graph.root,
    nodeType: graph.nodeType,
    nodeName: graph.nodeName,
    firstEdge: graph.firstEdge,
    edgeTarget: graph.edgeTarget,
    edgeType: graph.edgeType,
    edgeName: graph.edgeName,
    locations: graph.locations,
  };
  const shared = [columns.nodeType, columns.nodeName, columns.nodeSelfBytes, columns.firstEdge, columns.edgeTarget, columns.edgeType, columns.edgeName];
  if (!shared.every(isShared)) return null;
  const shallowState = sharedColumn(Int32Array, 1);
  const job: SideAnalysisJob = { columns, known, shallowState };
  const worker = new Worker(new URL('./side-analysis-entry.js', import.meta.url), { workerData: job });
  // Not unref'd: the caller awaits the results, and an unref'd worker would let the process exit under it.
  // Every way out (both answers, an error, exit, cancel) terminates it.
  let resolveTree!: (tree: RetainerTree) => void;
  let rejectTree!: (error: Error) => void;
  let resolveClasses!: (raw: RawClassIndex) => void;
  let rejectClasses!: (error: Error) => void;
  const retainerTree = new Promise<RetainerTree>((resolve, reject) => ((resolveTree = resolve), (rejectTree = reject)));
  const rawClasses = new Promise<RawClassIndex>((resolve, reject) => ((resolveClasses = resolve), (rejectClasses = reject)));
  // A rejection nobody awaits (after cancel) must not surface as an unhandled rejection.
  retainerTree.catch(() => undefined);
  rawClasses.catch(() => undefined);
  let pending = 2;
  const fail = (error: Error): void => {
    rejectTree(error);
    rejectClasses(error);
    pending = 0;
    void worker.terminate();
  };
  worker.on('message', (message: SideAnalysisMessage) => {
    if (message.kind === 'tree') resolveTree(retainerTreeOf(graph, message.parentEdge));
    else if (message.kind === 'classes') resolveClasses(message.raw);
    else if (message.kind === 'failed') return fail(new Error(`side analysis worker failed: ${message.message}`));
    if (--pending === 0) void worker.terminate();
  });
  worker.once('error', (error) => fail(error));
  worker.once('exit', (code) => fail(new Error(`side analysis worker exited with code ${code} before answering`)));
  return {
    retainerTree,
    rawClasses,
    ensureShallowSizes() {
      let state = Atomics.compareExchange(shallowState, 0, ShallowState.Unclaimed, ShallowState.MainComputing);
      while (state === ShallowState.WorkerComputing) {
        Atomics.wait(shallowState, 0, ShallowState.WorkerComputing);
        state = Atomics.load(shallowState, 0);
      }
      if (state === ShallowState.Done) return 'worker';
      // Unclaimed (now ours) or the worker failed before writing anything: compute here, then let the
      // worker's class pass (which waits for Done) go on.
      computeShallowSizes(graph, known, graph.nodeSelfBytes);
      Atomics.store(shallowState, 0, ShallowState.Done);
      Atomics.notify(shallowState, 0);
      return 'this-thread';
    },
    cancel() {
      // A worker waiting for this thread's shallow sizes must not wait forever before terminate lands.
      if (Atomics.compareExchange(shallowState, 0, ShallowState.Unclaimed, ShallowState.MainComputing) !== ShallowState.WorkerComputing) {
        Atomics.store(shallowState, 0, ShallowState.Done);
        Atomics.notify(shallowState, 0);
      }
      fail(new Error('side analysis cancelled'));
    },
  };
}
