/**
 * The string-free passes of the analysis on a second thread: the retainer-path BFS, then the per-node pass
 * of the class index. Both only read the graph columns, which sit on SharedArrayBuffers (shared-column.ts),
 * so on a 2-core machine they cost no wall time: `analyzeGraph` starts this, computes shallow sizes and
 * hands them over, computes dominators, then takes both results. Result arrays are transferred, not copied.
 */
import { Worker } from 'node:worker_threads';
import type { HeapGraph } from './graph.js';
import type { KnownStrings } from './known-strings.js';
import { retainerTreeOf, type RetainerTree, type RetainerTreeColumns } from './paths.js';
import type { RawClassColumns, RawClassIndex } from './raw-classes.js';
import { isShared } from './shared-column.js';

/** What the worker gets: the columns (shared, not copied), the locations (copied, small) and string indexes. */
export interface SideAnalysisJob {
  readonly columns: RetainerTreeColumns & RawClassColumns;
  readonly known: KnownStrings;
}

/** Messages between the two threads. */
export type SideAnalysisMessage =
  | { readonly kind: 'self-bytes'; readonly selfBytes: Float64Array }
  | { readonly kind: 'tree'; readonly parentEdge: Uint32Array }
  | { readonly kind: 'classes'; readonly raw: RawClassIndex }
  | { readonly kind: 'failed'; readonly message: string };

/** The passes running on the other thread. */
export interface SideAnalysis {
  readonly retainerTree: Promise<RetainerTree>;
  readonly rawClasses: Promise<RawClassIndex>;
  /** Hands over the shallow sizes (shared memory) so the class pass can start. */
  giveSelfBytes(selfBytes: Float64Array): void;
  /** Stops the worker (the caller gave up, e.g. on abort, or has everything). */
  cancel(): void;
}

/**
 * Starts the worker, or returns null when the columns are not shared memory (graphs built in memory by
 * tests, say): copying them would cost more than the passes save.
 */
export function startSideAnalysis(graph: HeapGraph, known: KnownStrings): SideAnalysis | null {
  const columns: SideAnalysisJob['columns'] = {
    nodeCount: graph.nodeCount,
    root: graph.root,
    nodeType: graph.nodeType,
    nodeName: graph.nodeName,
    firstEdge: graph.firstEdge,
    edgeTarget: graph.edgeTarget,
    edgeType: graph.edgeType,
    edgeName: graph.edgeName,
    locations: graph.locations,
  };
  const shared = [columns.nodeType, columns.nodeName, columns.firstEdge, columns.edgeTarget, columns.edgeType, columns.edgeName];
  if (!shared.every(isShared)) return null;
  const job: SideAnalysisJob = { columns, known };
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
    giveSelfBytes(selfBytes) {
      const message: SideAnalysisMessage = { kind: 'self-bytes', selfBytes };
      worker.postMessage(message);
    },
    cancel() {
      fail(new Error('side analysis cancelled'));
    },
  };
}
