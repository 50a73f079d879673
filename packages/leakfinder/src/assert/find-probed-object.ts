import { describeHolder, edgeNameOf, NodeType, nodeNameOf, readAndAnalyze, renderPath, type Holder, type NodeId } from '../snapshot/index.js';

/** Who keeps a probed object alive, as `expectCollected` reports it. */
export interface ProbedRetainers {
  /** Root first; data keys as `<key>` unless `showValues`. */
  readonly retainerPath: string[];
  readonly holder: Holder | null;
}

/**
 * Finds, in a heap snapshot, the object that is the WeakMap key of the probe (class `probeClass`, property
 * `id` = `probeId`) and returns its shortest retainer path and holder; null when the probe or its key is
 * not in the snapshot. V8 names the key in the edge it draws from the key to the value:
 * `part of key (Object @1234) -> value (LeakfinderCollectProbe @5678) pair in WeakMap (table @90)`.
 * Reads and analyses the snapshot on this thread (only failing assertions come here).
 */
export async function findRetainersOfProbed(path: string, probeClass: string, probeId: string, showValues: boolean): Promise<ProbedRetainers | null> {
  const analyzed = await readAndAnalyze(path, { secondThread: false });
  const { graph } = analyzed;
  const probe = findProbe(graph, probeClass, probeId);
  if (probe === -1) return null;
  const { firstRetainer, retainerNode, retainerEdge } = analyzed.retainers;
  let keyObjectId = -1;
  for (let r = firstRetainer[probe]!, end = firstRetainer[probe + 1]!; r < end && keyObjectId === -1; r++) {
    const match = /part of key \(.* @(\d+)\) -> value/.exec(edgeNameOf(graph, retainerEdge[r]!));
    if (match !== null) keyObjectId = Number(match[1]);
  }
  if (keyObjectId === -1) return null;
  let target: NodeId = -1;
  for (let n = 0; n < graph.nodeCount; n++) {
    if (graph.nodeObjectId[n] === keyObjectId) {
      target = n;
      break;
    }
  }
  if (target === -1) return null;
  const retainedBy = function* (node: NodeId): Iterable<[NodeId, number]> {
    for (let r = firstRetainer[node]!, end = firstRetainer[node + 1]!; r < end; r++) yield [retainerNode[r]!, retainerEdge[r]!];
  };
  return {
    retainerPath: renderPath(graph, analyzed.retainerTree, target, { showValues }),
    holder: describeHolder(graph, analyzed.retainerTree, target, retainedBy, showValues),
  };
}

/** The probe object whose `id` property is the string `probeId`; -1 when absent. */
function findProbe(graph: Parameters<typeof nodeNameOf>[0], probeClass: string, probeId: string): NodeId {
  for (let n = 0; n < graph.nodeCount; n++) {
    if (graph.nodeType[n] !== NodeType.Object || nodeNameOf(graph, n) !== probeClass) continue;
    for (let e = graph.firstEdge[n]!, end = graph.firstEdge[n + 1]!; e < end; e++) {
      if (edgeNameOf(graph, e) === 'id' && nodeNameOf(graph, graph.edgeTarget[e]!) === probeId) return n;
    }
  }
  return -1;
}
