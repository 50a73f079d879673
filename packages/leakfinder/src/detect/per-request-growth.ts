import { leastSquares, type GroupSeries, type LinearFit } from './series.js';

/** The thresholds of the per-request growth rule; every one is printed in the report. */
export interface GrowthLimits {
  /** Fewest checkpoints (points) a verdict needs; 5 points = 4 measured intervals. */
  readonly minCheckpoints: number;
  /** A slope below this many objects per request is ignored (noise, caches being touched). */
  readonly minCountPerRequest: number;
  /** The count slope must be at least this many standard errors above zero. */
  readonly minSlopeSigmas: number;
  /** Share of intervals in which the count must rise (1 = at every checkpoint). */
  readonly minRisingShare: number;
  /**
   * The last interval must add at least this share of what the fitted slope predicts for it: a cache that
   * filled and went flat, or warm-up that is dying down, adds (almost) nothing there.
   */
  readonly minLastIntervalShare: number;
}

/** Defaults chosen by measurement on the fixture servers (see docs/check.md). */
export const defaultGrowthLimits: GrowthLimits = {
  minCheckpoints: 5,
  minCountPerRequest: 0.02,
  minSlopeSigmas: 6,
  minRisingShare: 1,
  minLastIntervalShare: 0.5,
};

/** A group that grows per request, before its retainer path is known. */
export interface GrowthCandidate {
  readonly series: GroupSeries;
  readonly countFit: LinearFit;
  readonly bytesFit: LinearFit;
  /** Intervals in which the count rose, of `intervals`. */
  readonly risingIntervals: number;
  readonly intervals: number;
}

/** A group that is neither clearly growing nor clearly flat: more requests would tell. */
export interface BorderlineGroup {
  readonly series: GroupSeries;
  readonly countFit: LinearFit;
  /** Why it is not clear, in words ("rose in 3 of 4 intervals"). */
  readonly reason: string;
}

/** What {@link findPerRequestGrowth} decided. */
export interface GrowthAssessment {
  /** Groups that leak, largest bytes per request first. */
  readonly growing: GrowthCandidate[];
  readonly borderline: BorderlineGroup[];
}

/**
 * The per-request growth rule: a group leaks when its live count rises in (nearly) every interval, its
 * least-squares slope against measured requests is above `minCountPerRequest` and `minSlopeSigmas`
 * standard errors, and the last interval still grows at about the fitted rate. No "count % N" rule (it
 * breaks under concurrency) and no absolute floor: 1 object per 10 requests over 1,000 requests passes.
 */
export function findPerRequestGrowth(series: readonly GroupSeries[], limits: GrowthLimits = defaultGrowthLimits): GrowthAssessment {
  const growing: GrowthCandidate[] = [];
  const borderline: BorderlineGroup[] = [];
  for (const s of series) {
    const points = s.counts.length;
    if (points < limits.minCheckpoints) continue;
    const countFit = leastSquares(s.requests, s.counts);
    if (countFit.slope < limits.minCountPerRequest) continue;
    const intervals = points - 1;
    let risingIntervals = 0;
    for (let i = 1; i < points; i++) if (s.counts[i]! > s.counts[i - 1]!) risingIntervals++;
    const sigmas = countFit.slopeStdError === 0 ? Number.POSITIVE_INFINITY : countFit.slope / countFit.slopeStdError;
    const lastRequests = s.requests[points - 1]! - s.requests[points - 2]!;
    const lastGrowth = s.counts[points - 1]! - s.counts[points - 2]!;
    const lastShare = lastRequests > 0 ? lastGrowth / (countFit.slope * lastRequests) : 0;
    const rises = risingIntervals >= Math.ceil(limits.minRisingShare * intervals);
    const clear = sigmas >= limits.minSlopeSigmas;
    const lastOk = lastShare >= limits.minLastIntervalShare;
    if (rises && clear && lastOk) {
      growing.push({ series: s, countFit, bytesFit: leastSquares(s.requests, s.retainedBytes), risingIntervals, intervals });
      continue;
    }
    // Worth more requests only when it mostly behaves like a leak; a group that rose once and went flat
    // (lazy init, a filled cache) is simply not growing.
    const reasons: string[] = [];
    if (!rises) reasons.push(`rose in ${risingIntervals} of ${intervals} intervals`);
    if (!clear) reasons.push(`slope only ${sigmas.toFixed(1)} standard errors above zero`);
    if (!lastOk) reasons.push(`last interval added ${Math.round(lastShare * 100)}% of the fitted rate`);
    const nearlyRises = risingIntervals >= intervals - 1;
    // V8's compiled code and feedback keep growing slowly for thousands of requests (JIT warm-up); they
    // count as a leak only when they pass the rule outright, and never hold a run up as "unclear".
    if (nearlyRises && sigmas >= limits.minSlopeSigmas / 2 && lastShare > 0 && !isJitGroup(s.className)) {
      borderline.push({ series: s, countFit, reason: reasons.join(', ') });
    }
  }
  growing.sort((a, b) => b.bytesFit.slope - a.bytesFit.slope || b.countFit.slope - a.countFit.slope);
  return { growing, borderline };
}

/** Groups of V8's own code objects, which grow while the JIT warms up. */
function isJitGroup(className: string): boolean {
  return /^\((compiled )?code\b/.test(className) || className.startsWith('system / ');
}
