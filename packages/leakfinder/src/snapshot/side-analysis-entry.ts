// Body of the side-analysis worker (see side-analysis.ts): the BFS at once, the class pass once the
// shallow sizes arrive.
import { parentPort, workerData } from 'node:worker_threads';
import { computeRetainerTree } from './paths.js';
import { rawClassIndex } from './raw-classes.js';
import type { SideAnalysisJob, SideAnalysisMessage } from './side-analysis.js';

const { columns, known } = workerData as SideAnalysisJob;
const port = parentPort!;
const post = (message: SideAnalysisMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const failed = (error: unknown): void => post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });

try {
  const { parentEdge } = computeRetainerTree(columns, known);
  post({ kind: 'tree', parentEdge }, [parentEdge.buffer as ArrayBuffer]);
  port.once('message', (message: SideAnalysisMessage) => {
    try {
      if (message.kind !== 'self-bytes') throw new Error(`unexpected message ${message.kind}`);
      const raw = rawClassIndex(columns, message.selfBytes);
      post({ kind: 'classes', raw }, [raw.classOf.buffer, raw.representative.buffer, raw.locationRow.buffer] as ArrayBuffer[]);
    } catch (error) {
      failed(error);
    }
  });
} catch (error) {
  failed(error);
}
