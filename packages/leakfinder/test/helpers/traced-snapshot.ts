// Takes a real heap snapshot of this process with allocation tracking on around `work`, and returns it parsed.
// Small processes give ~5 MB snapshots, so JSON.parse is fine here (the engine streams; tests need not).
import { Session } from 'node:inspector';

/** The parts of a parsed `.heapsnapshot` that the trace tests read. */
export interface ParsedSnapshot {
  snapshot: { meta: Record<string, unknown>; trace_function_count: number; node_count: number };
  nodes: number[];
  edges: number[];
  trace_function_infos: number[];
  trace_tree: unknown[];
  locations: number[];
  strings: string[];
}

/** Runs `work` between startTrackingHeapObjects and takeHeapSnapshot; returns the parsed snapshot. */
export async function takeTracedSnapshot(work: () => void | Promise<void>): Promise<ParsedSnapshot> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => {
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result)));
    });
  const chunks: string[] = [];
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => chunks.push(message.params.chunk));
  try {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
    await work();
    chunks.length = 0;
    await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const text = chunks.join('');
    chunks.length = 0;
    // stopTracking streams a whole second snapshot by itself; we drop its chunks.
    await post('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false });
    chunks.length = 0;
    return JSON.parse(text) as ParsedSnapshot;
  } finally {
    session.disconnect();
  }
}

/** The `trace_node_id` of every node whose name is `className`. */
export function traceNodeIdsOf(parsed: ParsedSnapshot, className: string): number[] {
  const fields = parsed.snapshot.meta['node_fields'] as string[];
  const stride = fields.length;
  const nameAt = fields.indexOf('name');
  const traceAt = fields.indexOf('trace_node_id');
  const typeAt = fields.indexOf('type');
  const objectType = ((parsed.snapshot.meta['node_types'] as unknown[])[0] as string[]).indexOf('object');
  const ids: number[] = [];
  for (let i = 0; i < parsed.nodes.length; i += stride) {
    // a class name also names its constructor closure, which we skip
    if (parsed.nodes[i + typeAt] === objectType && parsed.strings[parsed.nodes[i + nameAt]!] === className) {
      ids.push(parsed.nodes[i + traceAt]!);
    }
  }
  return ids;
}
