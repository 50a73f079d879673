/**
 * `leakfinder/snapshot`: the heap snapshot engine. Read a `.heapsnapshot` into columns, compute retainers,
 * dominators and retained sizes, class tables, retainer paths, and summaries for `check` (in a worker).
 */
export { readSnapshot, parseSnapshotBytes, statSnapshotFile, type ReadSnapshotOptions, type SnapshotProgress } from './read.js';
export {
  EdgeType,
  NodeType,
  edgeNameOf,
  edgeSource,
  locationOf,
  nodeNameOf,
  totalSelfBytes,
  type HeapGraph,
  type NodeId,
  type NodeLocations,
  type SnapshotTraces,
} from './graph.js';
