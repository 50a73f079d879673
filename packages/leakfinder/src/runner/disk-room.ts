import { statfs } from 'node:fs/promises';
import { LeakfinderError } from '../errors.js';
import { formatBytes } from '../units.js';

/**
 * Heap snapshot file size per byte of post-GC `heapUsed`, measured on the fixture servers (docs/faults.md):
 * 1.05 fastify, 1.15 express, 1.22–1.25 koa, 2.01 on express holding 200 MiB of small objects (many nodes and
 * edges per byte). 2.5 covers them all with some room.
 */
export const snapshotBytesPerHeapByte = 2.5;

/** Skip the disk and memory preflights (an estimate that is wrong for this heap): `LEAKFINDER_NO_PREFLIGHT=1`. */
export function preflightDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LEAKFINDER_NO_PREFLIGHT === '1';
}

/**
 * Before a snapshot is written: refuses (`LF_DISK_SPACE_SHORT`, one line with the numbers) when the folder's
 * filesystem has less free space than `snapshotCount` snapshots of a heap of `heapUsedBytes` will likely take,
 * so a run stops before it fills the disk rather than in the middle of a file. Unknown free space passes.
 */
export async function assertDiskRoom(directory: string, heapUsedBytes: number, snapshotCount = 1): Promise<void> {
  if (preflightDisabled()) return;
  let freeBytes: number;
  try {
    const stats = await statfs(directory);
    freeBytes = stats.bavail * stats.bsize;
  } catch {
    return; // statfs unsupported here: the write itself will say if the disk is full
  }
  const needBytes = Math.ceil(heapUsedBytes * snapshotBytesPerHeapByte * snapshotCount);
  if (needBytes <= freeBytes) return;
  throw new LeakfinderError(
    'LF_DISK_SPACE_SHORT',
    `not enough free disk space for the heap snapshots in ${directory}: ${snapshotCount} snapshot(s) of a ${formatBytes(heapUsedBytes)} heap ` +
      `need about ${formatBytes(needBytes)}, ${formatBytes(freeBytes)} is free; free some space, or put them elsewhere with \`--keep-snapshots <dir>\` ` +
      '(LEAKFINDER_NO_PREFLIGHT=1 skips this check).',
  );
}
