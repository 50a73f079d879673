// Body of the side-analysis worker (see side-analysis.ts): shallow sizes if it gets to claim them, the
// class pass once they are done, then the BFS.
import { parentPort, workerData } from 'node:worker_threads';
import { computeRetainerTree } from './paths.js';
import { rawClassIndex } from './raw-classes.js';
import { computeShallowSizes } from './shallow-sizes.js';
import { ShallowState, type SideAnalysisJob, type SideAnalysisMessage } from './side-analysis.js';

const { columns, known, shallowState } = workerData as SideAnalysisJob;
// One work area for the three passes in turn (3 × 4 bytes per node, what the largest needs): separate
// arrays per pass would wait for this thread's GC to go, and pile up beside the main thread's peak.
const scratch = new Uint32Array(columns.nodeCount * 3);
const post = (message: SideAnalysisMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(message, transfer);

try {
  if (Atomics.compareExchange(shallowState, 0, ShallowState.Unclaimed, ShallowState.WorkerComputing) === ShallowState.Unclaimed) {
    let outcome = ShallowState.Done;
    try {
      computeShallowSizes(columns, known, columns.nodeSelfBytes, scratch);
    } catch (error) {
      outcome = ShallowState.WorkerFailed; // the main thread computes them instead
      throw error;
    } finally {
      Atomics.store(shallowState, 0, outcome);
      Atomics.notify(shallowState, 0);
    }
  }
  // The class pass needs the final sizes, whoever computes them.
  for (let state = Atomics.load(shallowState, 0); state !== ShallowState.Done; state = Atomics.load(shallowState, 0)) {
    Atomics.wait(shallowState, 0, state);
  }
  const raw = rawClassIndex(columns, columns.nodeSelfBytes, scratch);
  post({ kind: 'classes', raw }, [raw.classOf.buffer, raw.representative.buffer, raw.locationRow.buffer] as ArrayBuffer[]);
  const { parentEdge } = computeRetainerTree(columns, known, scratch);
  post({ kind: 'tree', parentEdge }, [parentEdge.buffer as ArrayBuffer]);
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}
