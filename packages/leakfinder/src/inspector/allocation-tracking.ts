import type { Protocol } from 'devtools-protocol';
import { streamSnapshotChunksToFile } from './heap.js';
import type { InspectorSession } from './session.js';

/**
 * Starts V8's allocation tracker: from now on every allocation records its JS stack, and heap snapshots carry
 * `trace_function_infos`, `trace_tree` and a `trace_node_id` per object. Costs time on every allocation, so
 * start it after the warm-up (see the README's allocation-stacks section for the measured overhead).
 */
export async function startAllocationTracking(session: InspectorSession, options: { signal?: AbortSignal } = {}): Promise<void> {
  await session.call('HeapProfiler.enable', undefined, { signal: options.signal });
  await session.call('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true }, { signal: options.signal });
}

/**
 * Stops the allocation tracker. V8 streams a whole heap snapshot as it stops (it cannot be turned off):
 * with `path` that snapshot is written there (mode 0600, through a temp name renamed when complete) and its
 * size returned; without, its chunks are dropped as they arrive.
 */
export async function stopAllocationTracking(
  session: InspectorSession,
  options: { path?: string; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<{ fileBytes: number } | null> {
  const path = options.path;
  const callOptions = { signal: options.signal, timeoutMs: options.timeoutMs ?? 10 * 60_000 };
  if (path === undefined) {
    const off = session.on('HeapProfiler.addHeapSnapshotChunk', () => undefined);
    try {
      await session.call('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false }, callOptions);
    } finally {
      off();
    }
    return null;
  }
  const fileBytes = await streamSnapshotChunksToFile(session, path, () =>
    session.call('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false }, callOptions),
  );
  return { fileBytes };
}

/**
 * Starts the sampling heap profiler: one sample per ~`samplingIntervalBytes` allocated, with its JS stack.
 * Only objects still alive are reported (`includeObjectsCollectedBy*GC: false`), so two profiles give the
 * growth of live bytes per allocation site. Samples carry no heap object ids: they cannot be joined to
 * snapshot nodes.
 */
export async function startSamplingHeapProfiler(
  session: InspectorSession,
  options: { samplingIntervalBytes?: number; signal?: AbortSignal } = {},
): Promise<void> {
  await session.call('HeapProfiler.enable', undefined, { signal: options.signal });
  await session.call(
    'HeapProfiler.startSampling',
    {
      samplingInterval: options.samplingIntervalBytes ?? 32 * 1024,
      includeObjectsCollectedByMajorGC: false,
      includeObjectsCollectedByMinorGC: false,
    },
    { signal: options.signal },
  );
}

/** The current sampling profile (live samples only); the profiler keeps running. */
export async function readSamplingProfile(
  session: InspectorSession,
  options: { signal?: AbortSignal } = {},
): Promise<Protocol.HeapProfiler.SamplingHeapProfile> {
  const reply = await session.call('HeapProfiler.getSamplingProfile', undefined, { signal: options.signal, timeoutMs: 120_000 });
  return reply.profile;
}

/** Stops the sampling heap profiler (its final profile is dropped; read one before with `readSamplingProfile`). */
export async function stopSamplingHeapProfiler(session: InspectorSession, options: { signal?: AbortSignal } = {}): Promise<void> {
  await session.call('HeapProfiler.stopSampling', undefined, { signal: options.signal, timeoutMs: 120_000 });
}
