/**
 * The growth rule over the latest window of checkpoints, with `--ignore` applied. Shared by `check` and
 * `watch`, whose checkpoints differ only in what "requests" counts (sent by us, or served by the target).
 */
import { findPerRequestGrowth, type GrowthAssessment, type GrowthLimits } from '../detect/per-request-growth.js';
import { buildGroupSeries, type GroupSample } from '../detect/series.js';

/** One checkpoint's groups at its request count (measured requests, or seconds with `watch --per time`). */
export interface WindowPoint {
  readonly requests: number;
  readonly groups: readonly GroupSample[];
}

/** Runs the rule on the last `limits.minCheckpoints` points; `windowStart` is the index of the first. */
export function assessWindow(
  points: readonly WindowPoint[],
  limits: GrowthLimits,
  ignore: readonly string[],
): GrowthAssessment & { windowStart: number } {
  const windowStart = Math.max(0, points.length - limits.minCheckpoints);
  const ignored = new Set(ignore);
  const series = buildGroupSeries(
    points.slice(windowStart).map((p) => ({ requests: p.requests, groups: p.groups.filter((g) => !isIgnored(g, ignored)) })),
  );
  return { ...findPerRequestGrowth(series, limits), windowStart };
}

/** An ignored class, or a part of one (its nearest holder is an object of that class). */
export function isIgnored(group: GroupSample, ignored: ReadonlySet<string>): boolean {
  if (ignored.has(group.className)) return true;
  const holderClass = /^[^`]*?(?= `| in |$)/.exec(group.signature)?.[0]?.trim();
  return holderClass !== undefined && ignored.has(holderClass);
}

/** How a borderline assessment reads in a progress line or a reason. */
export function describeBorderline(assessment: GrowthAssessment): string {
  const first = assessment.borderline[0]!;
  const more = assessment.borderline.length > 1 ? ` and ${assessment.borderline.length - 1} more` : '';
  return `${first.series.className} ${first.reason}${more}`;
}
