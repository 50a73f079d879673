// Body of the side-analysis worker (see side-analysis.ts): shallow sizes if it gets to claim them, the
// class pass once they are done, then the BFS.
import { parentPort, workerData } from 'node:worker_threads';
import { computeRetainerTree } from './paths.js';
import { rawClassIndex } from './raw-classes.js';
import { computeShallowSizes } from './shallow-sizes.js';
import { ShallowState, type SideAnalysisJob, type SideAnalysisMessage } from './side-analysis.js';

const { columns, known, shallowState } = workerData as SideAnalysisJob;
const post = (message: SideAnalysisMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(message, transfer);

try {
  if (Atomics.compareExchange(shallowState, 0, ShallowState.Unclaimed, ShallowState.WorkerComputing) === ShallowState.Unclaimed) {
    let outcome = ShallowState.Done;
    try {
      computeShallowSizes(columns, known, columns.nodeSelfBytes);
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
  const raw = rawClassIndex(columns, columns.nodeSelfBytes);
  post({ kind: 'classes', raw }, [raw.classOf.buffer, raw.representative.buffer, raw.locationRow.buffer] as ArrayBuffer[]);
  const { parentEdge } = computeRetainerTree(columns, known);
  post({ kind: 'tree', parentEdge }, [parentEdge.buffer as ArrayBuffer]);
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}
