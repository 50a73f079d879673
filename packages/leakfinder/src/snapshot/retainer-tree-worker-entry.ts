// Body of the retainer-tree worker (see retainer-tree-worker.ts): one BFS over the shared columns.
import { parentPort, workerData } from 'node:worker_threads';
import { computeRetainerTree } from './paths.js';
import type { RetainerTreeJob, RetainerTreeReply } from './retainer-tree-worker.js';

const { columns, known } = workerData as RetainerTreeJob;
let reply: RetainerTreeReply;
try {
  const tree = computeRetainerTree(columns, known);
  reply = { ok: true, parentEdge: tree.parentEdge };
} catch (error) {
  reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
const transfer = reply.ok ? [reply.parentEdge.buffer] : [];
parentPort!.postMessage(reply, transfer as ArrayBuffer[]);
