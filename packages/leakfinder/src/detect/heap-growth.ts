/**
 * The live heap of a sampling watch, as a safety net for what V8's sampling heap profiler cannot see. Measured
 * on Node 20 (docs/watch.md): once TurboFan inlines a constructor into a hot caller, the objects it allocates
 * are no longer sampled at all (a queue worker's leaking `Job` site went flat after ~5 s while the jobs piled
 * up; with `--no-turbofan` or `--max-inlined-bytecode-size=0` it rose throughout). Every profile read is a full
 * GC (checkpoint-due.ts), so the heap used right after it is the live heap: a steady rise that the sampled
 * sites do not explain is growth the profiler missed. Pure.
 */
import { findGrowingSites, type GrowingSite, type SitePoint } from './site-growth.js';
import type { GrowthLimits } from './per-request-growth.js';

/** The live heap after a checkpoint's full GC. */
export interface HeapPoint {
  /** Requests served (or seconds, per time) at the checkpoint. */
  readonly x: number;
  readonly heapUsedBytes: number;
}

/**
 * Least rise of the live heap, per request and per second, to count: well above what a warm healthy server's
 * heap drifts (lazily compiled code, caches settling), since this net has no class to show for it.
 */
export const kMinHeapBytesPerRequest = 64;
export const kMinHeapBytesPerSecond = 1_024;
/** The heap's rise must be this straight (r²): a leak adds at a steady rate, a warm-up does not. */
export const kMinHeapFitR2 = 0.8;
/** Sampled sites explaining less than this share of the heap's slope leave the rest unexplained. */
export const kExplainedShare = 0.5;
/**
 * Checkpoints the net needs, of which it judges only the later half. A server's heap grows while it warms up
 * (code, caches, pools), steadily enough over a short watch to pass any slope test: the healthy express twin,
 * watched from its first request, rose 187 B/request at r² 0.97 over 5 checkpoints. Warm-up is front-loaded;
 * a leak goes on in the later half of a long enough watch.
 */
export const kMinHeapCheckpoints = 10;

/** The live heap's growth, over the later half of the watch, that the growing sites leave unexplained, or null. */
export function unexplainedHeapGrowth(
  points: readonly HeapPoint[],
  growingSites: readonly GrowingSite[],
  limits: Pick<GrowthLimits, 'minCheckpoints'>,
  per: 'request' | 'time',
): GrowingSite | null {
  if (points.length < Math.max(kMinHeapCheckpoints, 2 * limits.minCheckpoints)) return null;
  const later = points.slice(Math.floor(points.length / 2));
  const series: SitePoint[] = later.map((p) => ({ requests: p.x, bytesBySite: new Map([['(heap)', p.heapUsedBytes]]) }));
  const heap = findGrowingSites(series, limits)[0];
  if (heap === undefined) return null;
  if (heap.fit.slope < (per === 'time' ? kMinHeapBytesPerSecond : kMinHeapBytesPerRequest) || heap.fit.r2 < kMinHeapFitR2) return null;
  const explained = growingSites.reduce((sum, s) => sum + s.fit.slope, 0);
  return explained < kExplainedShare * heap.fit.slope ? heap : null;
}
