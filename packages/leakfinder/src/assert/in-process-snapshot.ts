import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { LeakfinderError } from '../errors.js';

/** A heap snapshot of this thread, written to a private file. */
export interface InProcessSnapshot {
  readonly path: string;
  readonly fileBytes: number;
  readonly durationMs: number;
}

/** A fresh private (0700) directory for one assertion's snapshots; remove it with {@link removeSnapshotDirectory}. */
export function makeSnapshotDirectory(): string {
  try {
    return mkdtempSync(join(tmpdir(), 'leakfinder-assert-')); // mkdtemp creates it with mode 0700
  } catch (error) {
    throw new LeakfinderError('LF_WRITE_FAILED', `could not create a snapshot directory under ${tmpdir()}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Removes the directory and every snapshot in it; never throws (a leftover temp dir is not a test failure). */
export function removeSnapshotDirectory(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
}

/**
 * Writes a heap snapshot of this thread with `v8.writeHeapSnapshot`: synchronous and streamed by V8 straight
 * to the file, so, unlike an in-process CDP `takeHeapSnapshot` (whose chunks arrive as JS strings on this
 * very thread), it adds nothing to the heap it measures. V8 runs a full GC first. The file is made 0600.
 */
export function writeInProcessSnapshot(directory: string, name: string): InProcessSnapshot {
  const started = performance.now();
  const path = join(directory, `${name}.heapsnapshot`);
  try {
    writeHeapSnapshot(path);
    chmodSync(path, 0o600);
    return { path, fileBytes: statSync(path).size, durationMs: performance.now() - started };
  } catch (error) {
    throw new LeakfinderError('LF_WRITE_FAILED', `could not write a heap snapshot to ${path}: ${(error as Error).message}`, { cause: error });
  }
}
