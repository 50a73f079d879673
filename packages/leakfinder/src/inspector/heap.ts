import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LeakfinderError } from '../errors.js';
import type { InspectorSession } from './session.js';

/** The target's `process.memoryUsage()`, in bytes. */
export interface MemoryUsage {
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  readonly externalBytes: number;
  readonly arrayBuffersBytes: number;
  readonly rssBytes: number;
}

/** What {@link collectGarbage} did. */
export interface GarbageCollection {
  /** Full collections run; more than one when the heap kept shrinking. */
  readonly rounds: number;
  /** V8's used heap size after the last round. */
  readonly usedBytes: number;
  readonly durationMs: number;
}

/**
 * Evaluates an expression in the target and returns its value by JSON (no remote object is kept, so the
 * evaluation leaves nothing alive in the target). Needs no `Runtime.enable`.
 */
export async function evaluateValue<T>(session: InspectorSession, expression: string, signal?: AbortSignal): Promise<T> {
  const reply = await session.call('Runtime.evaluate', { expression, returnByValue: true, silent: true }, { signal });
  if (reply.exceptionDetails) {
    const text = reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text;
    throw new LeakfinderError('LF_INSPECTOR_FAILED', `evaluating in the server failed: ${text.split('\n')[0]}`);
  }
  return reply.result.value as T;
}

/** Reads `process.memoryUsage()` of the target. */
export async function readMemoryUsage(session: InspectorSession, signal?: AbortSignal): Promise<MemoryUsage> {
  const m = await evaluateValue<{ heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; rss: number }>(
    session,
    'process.memoryUsage()',
    signal,
  );
  return {
    heapUsedBytes: m.heapUsed,
    heapTotalBytes: m.heapTotal,
    externalBytes: m.external,
    arrayBuffersBytes: m.arrayBuffers,
    rssBytes: m.rss,
  };
}

/**
 * Forces full GCs (`HeapProfiler.collectGarbage`) until the used heap stops shrinking: by less than
 * `settleBytes` (default 64 KiB) between two rounds, or `maxRounds` (default 5). One round is not enough:
 * finalizers and weak callbacks free more on the next one.
 */
export async function collectGarbage(
  session: InspectorSession,
  options: { maxRounds?: number; settleBytes?: number; signal?: AbortSignal } = {},
): Promise<GarbageCollection> {
  const started = performance.now();
  const maxRounds = options.maxRounds ?? 5;
  const settleBytes = options.settleBytes ?? 64 * 1024;
  let previous = Number.POSITIVE_INFINITY;
  let usedBytes = 0;
  let rounds = 0;
  while (rounds < maxRounds) {
    await session.call('HeapProfiler.collectGarbage', undefined, { signal: options.signal, timeoutMs: 60_000 });
    rounds++;
    ({ usedSize: usedBytes } = await session.call('Runtime.getHeapUsage', undefined, { signal: options.signal }));
    if (previous - usedBytes < settleBytes) break;
    previous = usedBytes;
  }
  return { rounds, usedBytes, durationMs: performance.now() - started };
}

/** What {@link takeHeapSnapshot} wrote. */
export interface SnapshotFile {
  readonly path: string;
  readonly fileBytes: number;
  readonly durationMs: number;
}

/**
 * Takes a heap snapshot of the target and streams it chunk by chunk to `path` (mode 0600), through a temp
 * name beside it that is renamed only when the snapshot is complete, so a half-written file never looks
 * whole. The directory should be private (0700); the caller makes it.
 */
export async function takeHeapSnapshot(
  session: InspectorSession,
  path: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<SnapshotFile> {
  const started = performance.now();
  const fileBytes = await streamSnapshotChunksToFile(session, path, () =>
    session.call(
      'HeapProfiler.takeHeapSnapshot',
      { reportProgress: false, captureNumericValue: false },
      { signal: options.signal, timeoutMs: options.timeoutMs ?? 10 * 60_000 },
    ),
  );
  return { path, fileBytes, durationMs: performance.now() - started };
}

/**
 * Writes the `HeapProfiler.addHeapSnapshotChunk` events that `trigger` causes (a snapshot, or stopping the
 * allocation tracker, which streams one too) to `path`, mode 0600, through a temp name beside it renamed only
 * when complete, so a half-written file never looks whole. Returns the bytes written.
 */
export async function streamSnapshotChunksToFile(
  session: InspectorSession,
  path: string,
  trigger: () => Promise<unknown>,
): Promise<number> {
  const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  const file = await open(tempPath, 'wx', 0o600).catch((error: unknown) => {
    throw new LeakfinderError('LF_WRITE_FAILED', `could not create ${tempPath}: ${(error as Error).message}`, { cause: error });
  });
  let fileBytes = 0;
  // Chunks arrive faster than the disk takes them and CDP has no back-pressure: chain the writes so they
  // land in order, and remember the first failure.
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
    await trigger();
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
  return fileBytes;
}
