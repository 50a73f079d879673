/**
 * Is it safe to take a heap snapshot of a running process? Pure: compares what the snapshot needs in native
 * memory with the tightest memory bound and the V8 heap limit. The numbers behind `nativeBytesPerHeapByte`
 * are in docs/watch.md.
 */
import { formatBytes } from '../units.js';

/** One bound on the target's memory (cgroup level or the machine), as read by the runner. */
export interface HeadroomBound {
  readonly source: string;
  readonly limitBytes: number | null;
  readonly roomBytes: number;
}

/** What the decision looks at. */
export interface HeadroomInput {
  readonly heapUsedBytes: number;
  /** V8's `heap_size_limit`. */
  readonly heapLimitBytes: number;
  readonly bounds: readonly HeadroomBound[];
  /** Native bytes a snapshot needs per byte of used heap (measured; see docs/watch.md). */
  readonly nativeBytesPerHeapByte: number;
}

/** The decision, with a line that gives the numbers either way. */
export interface HeadroomDecision {
  readonly safe: boolean;
  readonly neededBytes: number;
  /** The tightest bound, or null when none was known. */
  readonly tightest: HeadroomBound | null;
  readonly line: string;
}

/** Above this share of its heap limit a forced GC plus snapshot could push V8 into an out-of-memory abort. */
const kMaxHeapLimitShare = 0.85;

/** Decides whether a snapshot fits. */
export function decideSnapshotHeadroom(input: HeadroomInput): HeadroomDecision {
  const neededBytes = Math.ceil(input.heapUsedBytes * input.nativeBytesPerHeapByte);
  const tightest = input.bounds.reduce<HeadroomBound | null>((min, b) => (min === null || b.roomBytes < min.roomBytes ? b : min), null);
  const heapShare = input.heapLimitBytes > 0 ? input.heapUsedBytes / input.heapLimitBytes : 0;
  if (heapShare > kMaxHeapLimitShare) {
    return {
      safe: false,
      neededBytes,
      tightest,
      line: `heap used ${formatBytes(input.heapUsedBytes)} is ${Math.round(heapShare * 100)}% of V8's heap limit ${formatBytes(input.heapLimitBytes)} (more than ${kMaxHeapLimitShare * 100}%)`,
    };
  }
  if (tightest !== null && neededBytes > tightest.roomBytes) {
    const limit = tightest.limitBytes === null ? '' : ` (limit ${formatBytes(tightest.limitBytes)})`;
    return {
      safe: false,
      neededBytes,
      tightest,
      line: `a snapshot needs about ${formatBytes(neededBytes)} (${input.nativeBytesPerHeapByte}x the ${formatBytes(input.heapUsedBytes)} heap) but ${tightest.source}${limit} leaves ${formatBytes(tightest.roomBytes)}`,
    };
  }
  return {
    safe: true,
    neededBytes,
    tightest,
    line: `a snapshot needs about ${formatBytes(neededBytes)}; ${tightest === null ? 'no memory bound known' : `${tightest.source} leaves ${formatBytes(tightest.roomBytes)}`}`,
  };
}
