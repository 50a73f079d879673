/**
 * The retainer-path BFS on a second thread. It reads the same graph columns as the dominator pass (both
 * only read them; they sit on SharedArrayBuffers, see shared-column.ts) and needs none of the strings, so
 * on a 2-core machine it costs no wall time: `analyzeGraph` starts it, computes dominators and classes,
 * then takes the tree. The result array is transferred back, not copied.
 */
import { Worker } from 'node:worker_threads';
import type { HeapGraph } from './graph.js';
import type { KnownStrings } from './known-strings.js';
import { retainerTreeOf, type RetainerTree, type RetainerTreeColumns } from './paths.js';
import { isShared } from './shared-column.js';

/** What the worker gets: the columns (shared, not copied) and the string indexes it compares against. */
export interface RetainerTreeJob {
  readonly columns: RetainerTreeColumns;
  readonly known: KnownStrings;
}

/** What the worker posts back: the tree, or why it could not. */
export type RetainerTreeReply =
  | { readonly ok: true; readonly parentEdge: Uint32Array }
  | { readonly ok: false; readonly message: string };

/** A BFS running on another thread; `result` settles with the tree (or rejects with the worker's error). */
export interface PendingRetainerTree {
  readonly result: Promise<RetainerTree>;
  /** Stops the worker (when the caller gave up, e.g. on abort). */
  cancel(): void;
}

/**
 * Starts the BFS in a worker, or returns null when the columns are not shared memory (graphs built in
 * memory by tests, say): copying them would cost more than the BFS saves.
 */
export function startRetainerTree(graph: HeapGraph, known: KnownStrings): PendingRetainerTree | null {
  const columns: RetainerTreeColumns = {
    nodeCount: graph.nodeCount,
    root: graph.root,
    nodeType: graph.nodeType,
    nodeName: graph.nodeName,
    firstEdge: graph.firstEdge,
    edgeTarget: graph.edgeTarget,
    edgeType: graph.edgeType,
    edgeName: graph.edgeName,
  };
  const arrays = [columns.nodeType, columns.nodeName, columns.firstEdge, columns.edgeTarget, columns.edgeType, columns.edgeName];
  if (!arrays.every(isShared)) return null;
  const job: RetainerTreeJob = { columns, known };
  const worker = new Worker(new URL('./retainer-tree-worker-entry.js', import.meta.url), { workerData: job });
  // Not unref'd: the caller awaits `result`, and an unref'd worker would let the process exit under it.
  // Every way out (answer, error, exit, cancel) terminates it.
  let cancel = (): void => undefined;
  const result = new Promise<RetainerTree>((resolvePromise, rejectPromise) => {
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      action();
      void worker.terminate();
    };
    cancel = () => settle(() => rejectPromise(new Error('retainer tree worker cancelled')));
    worker.once('message', (reply: RetainerTreeReply) => {
      if (reply.ok) settle(() => resolvePromise(retainerTreeOf(graph, reply.parentEdge)));
      else settle(() => rejectPromise(new Error(`retainer tree worker failed: ${reply.message}`)));
    });
    worker.once('error', (error) => settle(() => rejectPromise(error)));
    worker.once('exit', (code) => settle(() => rejectPromise(new Error(`retainer tree worker exited with code ${code} before answering`))));
  });
  // A cancelled run's rejection is expected; keep it from surfacing as an unhandled rejection.
  result.catch(() => undefined);
  return { result, cancel: () => cancel() };
}
