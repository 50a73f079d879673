import { join } from 'node:path';
import { readActiveResources } from '../inspector/active-resources.js';
import { collectGarbage, readMemoryUsage, takeHeapSnapshot, type MemoryUsage } from '../inspector/heap.js';
import type { InspectorSession } from '../inspector/session.js';
import { assertDiskRoom } from './disk-room.js';

/** One measurement point: the server idle, fully collected, its memory read and its heap on disk. */
export interface Checkpoint extends MemoryUsage {
  /** 0-based position in the run. */
  readonly index: number;
  /** Requests sent when it was taken (warm-up included). */
  readonly requestsSent: number;
  readonly snapshotPath: string;
  readonly snapshotBytes: number;
  readonly gcRounds: number;
  /** Time spent idling, collecting and snapshotting: the measurement's overhead. */
  readonly durationMs: number;
  readonly snapshotMs: number;
  /** Live timers, sockets, servers, file requests by type (`process.getActiveResourcesInfo()`); null if unknown. */
  readonly activeResources: Readonly<Record<string, number>> | null;
}

/** Options of {@link takeCheckpoint}. */
export interface CheckpointOptions {
  readonly index: number;
  readonly requestsSent: number;
  /** Private (0700) directory that receives `checkpoint-<index>.heapsnapshot`. */
  readonly directory: string;
  /** Pause before collecting, so timers and pending I/O of the last requests finish (default 200 ms). */
  readonly idleMs?: number;
  /** Snapshots still to be written in this run, this one included: the disk preflight wants room for all. */
  readonly snapshotsToCome?: number;
  readonly signal?: AbortSignal;
}

/**
 * Lets the server go idle, drops the inspector's console buffer (it keeps `console.log` arguments alive),
 * forces full GC until the heap settles, records `process.memoryUsage()` and writes a heap snapshot.
 */
export async function takeCheckpoint(session: InspectorSession, options: CheckpointOptions): Promise<Checkpoint> {
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.idleMs ?? 200));
  // Without Runtime.enable nothing is reported to us, but V8 still buffers console messages per context
  // group while an inspector is attached; discarding them lets their arguments be collected.
  await session.call('Runtime.discardConsoleEntries', undefined, { signal: options.signal }).catch(() => undefined);
  const gc = await collectGarbage(session, { signal: options.signal });
  const memory = await readMemoryUsage(session, options.signal);
  // For handle-growth (#16): after the GC, so closed handles are gone; a failure only loses the refinement.
  const activeResources = await readActiveResources(session, options.signal).catch(() => null);
  await assertDiskRoom(options.directory, memory.heapUsedBytes, options.snapshotsToCome ?? 1);
  const path = join(options.directory, `checkpoint-${options.index}.heapsnapshot`);
  const snapshot = await takeHeapSnapshot(session, path, { signal: options.signal });
  return {
    index: options.index,
    requestsSent: options.requestsSent,
    ...memory,
    snapshotPath: snapshot.path,
    snapshotBytes: snapshot.fileBytes,
    gcRounds: gc.rounds,
    durationMs: performance.now() - started,
    snapshotMs: snapshot.durationMs,
    activeResources,
  };
}
