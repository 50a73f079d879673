/**
 * The seam to `check`: summarizeSnapshotFile and explainGroups run the whole analysis in a worker_threads
 * worker, so the caller's event loop stays free; only plain data crosses back (see docs/architecture.md).
 */
import { Worker } from 'node:worker_threads';
import { LeakfinderError, type ErrorCode } from '../errors.js';
import type { SnapshotProgress } from './read.js';
import type { GroupExplanation, SnapshotSummary } from './summary.js';

/** What the worker is asked to do. */
export type WorkerJob =
  | { readonly op: 'summarize'; readonly path: string }
  | { readonly op: 'explain'; readonly path: string; readonly keys: readonly string[]; readonly showValues: boolean };

/** What the worker posts back. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: SnapshotProgress }
  | { readonly type: 'result'; readonly value: unknown }
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message: string; readonly usage: boolean }
  | { readonly type: 'crash'; readonly message: string };

/** Options of the worker entry points. */
export interface SnapshotJobOptions {
  /** Aborting terminates the worker and rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SnapshotProgress) => void;
}

function runInWorker<T>(job: WorkerJob, options: SnapshotJobOptions): Promise<T> {
  const { signal, onProgress } = options;
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolvePromise, rejectPromise) => {
    const worker = new Worker(new URL('./worker-entry.js', import.meta.url), { workerData: job });
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    const onAbort = (): void => finish(() => rejectPromise(signal!.reason as Error));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'result') finish(() => resolvePromise(message.value as T));
      else if (message.type === 'error') {
        finish(() => rejectPromise(new LeakfinderError(message.code, message.message, { usage: message.usage })));
      } else finish(() => rejectPromise(new Error(`snapshot worker failed: ${message.message}`)));
    });
    worker.on('error', (error) => finish(() => rejectPromise(error)));
    worker.on('exit', (code) => {
      finish(() => rejectPromise(new Error(`snapshot worker exited with code ${code} before answering`)));
    });
  });
}

/**
 * Reads and analyses a snapshot in a worker; returns its groups (class + retainer signature) with count,
 * self and retained bytes. Keys are stable across snapshots of one process.
 * @example
 * const { file, groups } = await summarizeSnapshotFile('/tmp/cp-1.heapsnapshot');
 * groups[0]; // { key: 'Foo@81:1:23 via Map `cache` in …', className: 'Foo', count: 1000, … }
 */
export function summarizeSnapshotFile(path: string, options: SnapshotJobOptions = {}): Promise<SnapshotSummary> {
  return runInWorker<SnapshotSummary>({ op: 'summarize', path }, options);
}

/**
 * For the given group keys of a snapshot: a readable retainer path, the holder in user terms, and the
 * allocation stacks when the snapshot has traces ([] otherwise). Runs in a worker.
 */
export function explainGroups(
  path: string,
  keys: readonly string[],
  options: SnapshotJobOptions & { readonly showValues?: boolean } = {},
): Promise<GroupExplanation[]> {
  return runInWorker<GroupExplanation[]>({ op: 'explain', path, keys: [...keys], showValues: options.showValues ?? false }, options);
}
