import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Protocol } from 'devtools-protocol';
import { LeakfinderError } from '../errors.js';
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
  const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  const file = await open(tempPath, 'wx', 0o600).catch((error: unknown) => {
    throw new LeakfinderError('LF_WRITE_FAILED', `could not create ${tempPath}: ${(error as Error).message}`, { cause: error });
  });
  let fileBytes = 0;
  // CDP has no back-pressure: chain the writes so chunks land in order, and keep the first failure.
  let writes: Promise<void> = Promise.resolve();
  let writeError: unknown;
  const off = session.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => {
    writes = writes.then(async () => {
      if (writeError !== undefined) return;
      try {
        const buffer = Buffer.from(chunk, 'utf8');
        await file.write(buffer);
        fileBytes += buffer.length;
      } catch (error) {
        writeError = error;
      }
    });
  });
  let complete = false;
  try {
    await session.call('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false }, callOptions);
    await writes;
    if (writeError !== undefined) {
      throw new LeakfinderError('LF_WRITE_FAILED', `could not write ${tempPath}: ${(writeError as Error).message}`, { cause: writeError });
    }
    await file.sync();
    complete = true;
  } finally {
    off();
    await writes;
    await file.close();
    if (complete) await rename(tempPath, path);
    else await unlink(tempPath).catch(() => undefined);
  }
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
