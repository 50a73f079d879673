/**
 * When `watch` takes its next checkpoint. Every checkpoint costs the target a full GC: V8's inspector starts
 * the sampling heap profiler with `kSamplingForceGC`, so each `HeapProfiler.getSamplingProfile` collects all
 * garbage before it reports (deps/v8/src/inspector/v8-heap-profiler-agent-impl.cc), and snapshot mode forces
 * GCs anyway. On a busy server `--every 1000` requests came several times a second, and those GCs took 27% of
 * its requests/s in the bench (docs/watch.md). So checkpoints are also spaced by time: at least `minGapMs`,
 * and in sampling mode by default at least {@link kPauseShare}⁻¹ times the last read's pause, which keeps the
 * target's share of time paused by us near 1% whatever its heap size.
 */

/** Longest share of the target's time that automatic spacing lets our profile reads pause it. */
export const kPauseShare = 0.01;

/** What {@link checkpointDue} looks at. Times in milliseconds (performance.now()). */
export interface DueInput {
  readonly per: 'request' | 'time';
  readonly nowMs: number;
  readonly lastAtMs: number;
  readonly requests: number;
  readonly lastRequests: number;
  readonly everyRequests: number;
  readonly everyMs: number;
  /** The gap asked for (`--min-gap`), or `auto`: at least `autoGapMs` and 1/kPauseShare times the last pause. */
  readonly minGap: number | 'auto';
  readonly autoGapMs: number;
  /** How long the last checkpoint paused the target (its profile read), 0 before the first. */
  readonly lastPauseMs: number;
}

/** The time that must pass between two checkpoints. */
export function minGapMsOf(input: Pick<DueInput, 'minGap' | 'autoGapMs' | 'lastPauseMs'>): number {
  if (input.minGap !== 'auto') return input.minGap;
  return Math.max(input.autoGapMs, input.lastPauseMs / kPauseShare);
}

/** True when the next checkpoint is due: enough requests (or time), and not sooner than the gap. */
export function checkpointDue(input: DueInput): boolean {
  const elapsedMs = input.nowMs - input.lastAtMs;
  if (elapsedMs < minGapMsOf(input)) return false;
  return input.per === 'time' ? elapsedMs >= input.everyMs : input.requests - input.lastRequests >= input.everyRequests;
}
