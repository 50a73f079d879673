import type { CheckpointRow } from '../report/model.js';
import type { Checkpoint } from '../runner/checkpoints.js';

/**
 * One checkpoint as the report shows it, at `x` on the report's axis (measured requests, iterations or
 * seconds): check and watch both build their rows here, so the two reports cannot drift apart.
 */
export function toCheckpointRow(checkpoint: Checkpoint, x: number): CheckpointRow {
  return {
    requests: x,
    heapUsedBytes: checkpoint.heapUsedBytes,
    externalBytes: checkpoint.externalBytes,
    arrayBuffersBytes: checkpoint.arrayBuffersBytes,
    rssBytes: checkpoint.rssBytes,
    snapshotBytes: checkpoint.snapshotBytes,
    overheadMs: checkpoint.durationMs,
    activeResources: checkpoint.activeResources,
  };
}
