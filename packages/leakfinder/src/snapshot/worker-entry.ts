// Body of the snapshot worker (see worker.ts): runs one job from workerData and posts the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { LeakfinderError } from '../errors.js';
import { explainInThisThread, summarizeInThisThread } from './summary.js';
import type { WorkerJob, WorkerMessage } from './worker.js';

const job = workerData as WorkerJob;
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

try {
  // Progress at most every 100 ms: a message per chunk would flood the caller's event loop.
  let lastPostMs = 0;
  const onProgress = (progress: { phase: string; done: number; total: number }): void => {
    const now = Date.now();
    if (now - lastPostMs < 100) return;
    lastPostMs = now;
    post({ type: 'progress', progress: progress as never });
  };
  const value =
    job.op === 'summarize'
      ? await summarizeInThisThread(job.path, { onProgress })
      : await explainInThisThread(job.path, job.keys, { onProgress, showValues: job.showValues });
  post({ type: 'result', value });
} catch (error) {
  if (LeakfinderError.is(error)) post({ type: 'error', code: error.code, message: error.message, usage: error.isUsageError });
  else post({ type: 'crash', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
