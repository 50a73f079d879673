/**
 * Sampling mode of `watch`: which allocation sites keep more live bytes per request. Input is a series of
 * sampling heap profiles reduced to live bytes per stack; pure. Without a forced GC the profiles also hold
 * garbage not yet collected, so the rule wants a clear slope and growth in nearly every interval.
 */
import { leastSquares, type LinearFit } from './series.js';
import type { GrowthLimits } from './per-request-growth.js';

/** Live sampled bytes per site (a stack key) at one request count. */
export interface SitePoint {
  readonly requests: number;
  readonly bytesBySite: ReadonlyMap<string, number>;
}

/** A site whose live bytes rise per request. */
export interface GrowingSite {
  readonly site: string;
  readonly fit: LinearFit;
  readonly requests: readonly number[];
  readonly bytes: readonly number[];
  readonly risingIntervals: number;
  readonly intervals: number;
}

/** A site must add at least this many live bytes per request (sampled every ~1 KiB, less is noise). */
export const kMinSiteBytesPerRequest = 8;

/** The sampled rule's own thresholds, looser than the snapshot rule's because samples are sparse. */
export const siteGrowthLimits = {
  /** Standard errors of the slope above zero. */
  minSlopeSigmas: 4,
  /** Share of intervals in which the live bytes rose. */
  minRisingShare: 0.75,
  /** The second half of the watch must add this share of what the fit predicts for it (still growing). */
  minLateShare: 0.5,
} as const;

/**
 * Sites whose live bytes, over every point of the watch, rise in at least 75% of the intervals, with a slope
 * of at least {@link kMinSiteBytesPerRequest} and 4 standard errors, and a second half that still grows at
 * half the fitted rate or more. Only sites `isCandidate` accepts are looked at: the caller passes user code,
 * because garbage that waits for the next major GC rises for a while at Node's and libraries' per-request
 * sites too. Largest slope first.
 */
export function findGrowingSites(
  points: readonly SitePoint[],
  limits: Pick<GrowthLimits, 'minCheckpoints'>,
  isCandidate: (site: string) => boolean = () => true,
): GrowingSite[] {
  const window = points;
  if (window.length < limits.minCheckpoints) return [];
  const sites = new Set<string>();
  for (const p of window) for (const s of p.bytesBySite.keys()) if (isCandidate(s)) sites.add(s);
  const requests = window.map((p) => p.requests);
  const out: GrowingSite[] = [];
  for (const site of sites) {
    const bytes = window.map((p) => p.bytesBySite.get(site) ?? 0);
    const fit = leastSquares(requests, bytes);
    if (fit.slope < kMinSiteBytesPerRequest) continue;
    const sigmas = fit.slopeStdError === 0 ? Number.POSITIVE_INFINITY : fit.slope / fit.slopeStdError;
    let rising = 0;
    for (let i = 1; i < bytes.length; i++) if (bytes[i]! > bytes[i - 1]!) rising++;
    const intervals = bytes.length - 1;
    const mid = Math.floor(intervals / 2);
    const lateRequests = requests[intervals]! - requests[mid]!;
    const lateShare = lateRequests > 0 ? (bytes[intervals]! - bytes[mid]!) / (fit.slope * lateRequests) : 0;
    if (sigmas >= siteGrowthLimits.minSlopeSigmas && rising >= Math.ceil(siteGrowthLimits.minRisingShare * intervals) && lateShare >= siteGrowthLimits.minLateShare) {
      out.push({ site, fit, requests, bytes, risingIntervals: rising, intervals });
    }
  }
  return out.sort((a, b) => b.fit.slope - a.fit.slope);
}
