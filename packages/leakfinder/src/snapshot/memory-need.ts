import { statSync } from 'node:fs';
import { freemem } from 'node:os';
import { LeakfinderError } from '../errors.js';
import { formatBytes } from '../units.js';

/**
 * Peak resident memory of reading one snapshot, as a multiple of its file size, measured in bench/ (bench/README.md,
 * final runs): 2.49× at 96 MiB, 1.70× at 487 MiB, 1.44× at 1.67 GiB, 1.26× at 2.88 GiB, 1.19× at 4.3 GiB. The
 * ratio falls because the process's base (~90 MiB) is a smaller share of big files. Between points it is
 * interpolated; below the first the base dominates.
 */
const measuredPeaks: readonly (readonly [fileBytes: number, peakPerFileByte: number])[] = [
  [96 * 2 ** 20, 2.49],
  [487 * 2 ** 20, 1.7],
  [1.67 * 2 ** 30, 1.44],
  [2.88 * 2 ** 30, 1.26],
  [4.3 * 2 ** 30, 1.19],
];

/** Likely peak memory, in bytes, of reading a snapshot file of `fileBytes` (the measured curve + 10%). */
export function memoryNeedBytes(fileBytes: number): number {
  const [first] = measuredPeaks;
  // Small files: the process's base (~90 MiB) plus 1.5× the file, which meets the first point.
  if (fileBytes <= first![0]) return 1.1 * (90 * 2 ** 20 + 1.5 * fileBytes);
  for (let i = 1; i < measuredPeaks.length; i++) {
    const [x0, r0] = measuredPeaks[i - 1]!;
    const [x1, r1] = measuredPeaks[i]!;
    if (fileBytes <= x1) return 1.1 * fileBytes * (r0 + ((r1 - r0) * (fileBytes - x0)) / (x1 - x0));
  }
  return 1.1 * fileBytes * measuredPeaks.at(-1)![1];
}

/**
 * Before `analyze`/`diff` read anything: refuses (`LF_MEMORY_SHORT`, one line with the numbers) when the
 * memory available now (`os.freemem()`, which is MemAvailable on Linux, and the cgroup limit when one is set)
 * is below what reading the biggest of `files` likely needs. Files are read one at a time, so the biggest
 * counts. Files that cannot be stat'ed are left to the reader's own error. `LEAKFINDER_NO_PREFLIGHT=1` skips it.
 */
export function assertMemoryFor(files: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  if (env.LEAKFINDER_NO_PREFLIGHT === '1') return;
  let biggest: { file: string; bytes: number } | undefined;
  for (const file of files) {
    try {
      const bytes = statSync(file).size;
      if (biggest === undefined || bytes > biggest.bytes) biggest = { file, bytes };
    } catch {
      // the reader says what is wrong with it
    }
  }
  if (biggest === undefined) return;
  const needBytes = memoryNeedBytes(biggest.bytes);
  const availableBytes = availableMemoryBytes();
  if (needBytes <= availableBytes) return;
  throw new LeakfinderError(
    'LF_MEMORY_SHORT',
    `not enough free memory to read ${biggest.file} (${formatBytes(biggest.bytes)}): reading it takes about ${formatBytes(needBytes)}, ` +
      `${formatBytes(availableBytes)} is available; close other programs or run it on a bigger machine (LEAKFINDER_NO_PREFLIGHT=1 skips this check).`,
  );
}

/** Free memory now, within the cgroup's limit when there is one. */
export function availableMemoryBytes(): number {
  let available = freemem();
  // Node ≥ 19: the cgroup (container) limit, or a huge number / 0 when there is none.
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  if (constrained !== undefined && constrained > 0 && constrained < Number.MAX_SAFE_INTEGER) {
    available = Math.min(available, Math.max(0, constrained - process.memoryUsage.rss()));
  }
  return available;
}
