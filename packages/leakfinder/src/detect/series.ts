/** A least-squares line `y ≈ slope·x + intercept` with its quality. */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  /** Standard error of the slope (0 for a perfect fit; Infinity with fewer than 3 points). */
  readonly slopeStdError: number;
  /** Coefficient of determination, 0..1 (1 when y is constant and the fit is exact). */
  readonly r2: number;
  readonly pointCount: number;
}

/**
 * Ordinary least squares of `y` against `x`. With 2 points the slope is exact but its error unknown
 * (Infinity); with all x equal the slope is 0 and the error Infinity.
 */
export function leastSquares(x: readonly number[], y: readonly number[]): LinearFit {
  const n = Math.min(x.length, y.length);
  if (n === 0) return { slope: 0, intercept: 0, slopeStdError: Number.POSITIVE_INFINITY, r2: 0, pointCount: 0 };
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i]!;
    meanY += y[i]!;
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: 0, intercept: meanY, slopeStdError: Number.POSITIVE_INFINITY, r2: 0, pointCount: n };
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const residual = Math.max(0, syy - slope * sxy); // sum of squared residuals
  const slopeStdError = n > 2 ? Math.sqrt(residual / (n - 2) / sxx) : Number.POSITIVE_INFINITY;
  const r2 = syy === 0 ? 1 : Math.max(0, 1 - residual / syy);
  return { slope, intercept, slopeStdError, r2, pointCount: n };
}

/** One group's numbers in one snapshot, as the snapshot engine's summary gives them. */
export interface GroupSample {
  /** Stable across snapshots of one process: class name + retainer signature. */
  readonly key: string;
  readonly className: string;
  /** The readable retainer signature, e.g. "Map `cache`". */
  readonly signature: string;
  readonly count: number;
  readonly selfBytes: number;
  readonly retainedBytes: number;
}

/** One group over the checkpoints of a run; a group absent from a snapshot counts 0 there. */
export interface GroupSeries {
  readonly key: string;
  readonly className: string;
  readonly signature: string;
  /** Measured requests at each checkpoint (0 at the first, after the warm-up). */
  readonly requests: readonly number[];
  readonly counts: readonly number[];
  readonly selfBytes: readonly number[];
  readonly retainedBytes: readonly number[];
}

/**
 * Turns per-checkpoint group tables into one series per group. `requests[i]` is the measured request count
 * at checkpoint i; groups missing from a checkpoint get 0 there.
 */
export function buildGroupSeries(
  checkpoints: readonly { readonly requests: number; readonly groups: readonly GroupSample[] }[],
): GroupSeries[] {
  const requests = checkpoints.map((c) => c.requests);
  const byKey = new Map<string, { sample: GroupSample; counts: number[]; selfBytes: number[]; retainedBytes: number[] }>();
  checkpoints.forEach((checkpoint, index) => {
    for (const group of checkpoint.groups) {
      let entry = byKey.get(group.key);
      if (!entry) {
        const zeros = (): number[] => new Array<number>(checkpoints.length).fill(0);
        entry = { sample: group, counts: zeros(), selfBytes: zeros(), retainedBytes: zeros() };
        byKey.set(group.key, entry);
      }
      // Keys are unique per snapshot; if an engine ever repeats one, add them up rather than drop one.
      entry.counts[index]! += group.count;
      entry.selfBytes[index]! += group.selfBytes;
      entry.retainedBytes[index]! += group.retainedBytes;
    }
  });
  return [...byKey.values()].map(({ sample, counts, selfBytes, retainedBytes }) => ({
    key: sample.key,
    className: sample.className,
    signature: sample.signature,
    requests,
    counts,
    selfBytes,
    retainedBytes,
  }));
}
