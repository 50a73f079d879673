/**
 * Options of `watch` and their validation (once, at the boundary).
 */
import { defaultGrowthLimits, type GrowthLimits } from '../detect/per-request-growth.js';
import { usageError } from '../errors.js';

/** How `watch` measures: forced GC + snapshot per checkpoint, or the sampling heap profiler only. */
export type WatchMode = 'snapshot' | 'sampling';

/** Options of {@link watch}. Times in milliseconds. */
export interface WatchOptions {
  /** A Node process on this machine; its inspector is opened by SIGUSR1 (and closed again at the end). */
  readonly pid?: number;
  /** Or an inspector already open: `host:port` or a `ws://` URL. Loopback only unless `allowRemote`. */
  readonly inspect?: string;
  readonly allowRemote?: boolean;
  /** Default {@link watchDefaults}.mode. */
  readonly mode?: WatchMode;
  /** Growth per HTTP request the target serves (default), or per second (`time`) for a process without HTTP. */
  readonly per?: 'request' | 'time';
  /** Requests between checkpoints (per request). */
  readonly everyRequests?: number;
  /** Time between checkpoints (per time); with per request, a checkpoint is also taken when this passes and requests came. */
  readonly everyMs?: number;
  /**
   * Least time between two checkpoints, or `auto` (default): {@link watchDefaults}.autoGapMs, and in sampling
   * mode 100x the last profile read's pause. Each checkpoint is a full GC in the target (checkpoint-due.ts).
   */
  readonly minGapMs?: number | 'auto';
  /** Sampling heap profiler: one sample per this many allocated bytes on average (default: by the request rate, sampling-interval.ts). */
  readonly samplingIntervalBytes?: number;
  /** Stop after this long (default: until aborted, the target exits, or `requests`). */
  readonly durationMs?: number;
  /** Stop after the target served this many requests. */
  readonly requests?: number;
  readonly ignore?: readonly string[];
  readonly showValues?: boolean;
  /** Keep the snapshots in a new folder under this directory. */
  readonly keepSnapshotsDir?: string;
  readonly limits?: Partial<GrowthLimits>;
  /** Aborting ends the watch like `durationMs` does: the target is restored and a report of what was measured returned. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
}

/** Defaults, chosen by measurement (docs/watch.md gives the numbers). */
export const watchDefaults = {
  mode: 'sampling' as WatchMode,
  everyRequests: 1_000,
  everyMs: 30_000,
  /**
   * Sampling heap profiler interval when none is given (sampling-interval.ts): one sample per this many
   * allocated bytes on average. 1 KiB (what `check` uses for creation sites) cost a busy server far more than
   * the 5% goal; 16 KiB sees a leak of 100 bytes per request about once per 160 requests and costs a server
   * at 5–8k requests/s ~10%, 64 KiB ~6% (docs/watch.md). A server that serves at least
   * `busyRequestsPerSecond` when watch starts gets the coarser one.
   */
  quietSamplingIntervalBytes: 16_384,
  busySamplingIntervalBytes: 65_536,
  busyRequestsPerSecond: 1_000,
  /** How long the request rate is measured before the interval is chosen. */
  rateProbeMs: 1_000,
  /**
   * Least time between two checkpoints when `minGapMs` is `auto`. Measured (docs/watch.md): profile reads,
   * each a full GC, every second took 27% of a busy server's requests/s; every 5 s, no cost beyond noise.
   */
  autoGapMs: 5_000,
  /** How often the request counter is read once a checkpoint may come (the gap has passed). */
  pollMs: 250,
  /** How often it is read while the gap has not passed: only for progress and `--requests`. */
  pollInGapMs: 1_000,
  /**
   * Native memory a snapshot needs per byte of used heap. Measured (docs/watch.md): a 211 MB heap of 1.5 M
   * small objects raised the target's peak RSS by 3.26 GB while V8 built the snapshot, 15.5x the heap, the
   * same whether streamed over the inspector or written by v8.writeHeapSnapshot. Not "the heap again": V8's
   * snapshot graph costs a few hundred bytes per object. Heaps of bigger objects need less; this is the
   * dense case, so the check errs towards not taking the snapshot.
   */
  nativeBytesPerHeapByte: 16,
} as const;

/** Validated options. */
export type ResolvedWatchOptions = Omit<WatchOptions, 'samplingIntervalBytes'> & {
  readonly mode: WatchMode;
  readonly per: 'request' | 'time';
  readonly everyRequests: number;
  readonly everyMs: number;
  readonly minGapMs: number | 'auto';
  /** `auto` when not given: chosen by the target's request rate when the watch starts. */
  readonly samplingIntervalBytes: number | 'auto';
  readonly ignore: readonly string[];
  readonly showValues: boolean;
  readonly limits: GrowthLimits;
};

const knownKeys = new Set([
  'pid', 'inspect', 'allowRemote', 'mode', 'per', 'everyRequests', 'everyMs', 'minGapMs', 'samplingIntervalBytes', 'durationMs', 'requests', 'ignore', 'showValues',
  'keepSnapshotsDir', 'limits', 'signal', 'onProgress',
]);

/** Validates once; everything below trusts the result. */
export function resolveWatchOptions(input: WatchOptions): ResolvedWatchOptions {
  for (const key of Object.keys(input)) if (!knownKeys.has(key)) throw usageError(`watch(): unknown option \`${key}\`.`);
  if ((input.pid === undefined) === (input.inspect === undefined)) {
    throw usageError('watch needs exactly one of `--pid <pid>` or `--inspect <host:port|ws-url>`.');
  }
  if (input.pid !== undefined && (!Number.isInteger(input.pid) || input.pid <= 0)) throw usageError(`\`--pid\` must be a process id, got ${String(input.pid)}.`);
  const mode = input.mode ?? watchDefaults.mode;
  if (mode !== 'snapshot' && mode !== 'sampling') throw usageError(`\`--mode\` must be snapshot or sampling, got ${JSON.stringify(mode)}.`);
  const per = input.per ?? 'request';
  if (per !== 'request' && per !== 'time') throw usageError(`\`--per\` must be request or time, got ${JSON.stringify(per)}.`);
  const positive = (name: string, v: number | undefined): void => {
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) throw usageError(`\`--${name}\` must be positive, got ${String(v)}.`);
  };
  positive('every', input.everyRequests);
  positive('every', input.everyMs);
  positive('duration', input.durationMs);
  const minGapMs = input.minGapMs ?? 'auto';
  if (minGapMs !== 'auto' && (!Number.isFinite(minGapMs) || minGapMs < 0)) throw usageError(`\`--min-gap\` must be auto or a duration ≥ 0, got ${String(minGapMs)}.`);
  positive('sampling-interval', input.samplingIntervalBytes);
  positive('requests', input.requests);
  return {
    ...input,
    mode,
    per,
    everyRequests: input.everyRequests ?? watchDefaults.everyRequests,
    everyMs: input.everyMs ?? watchDefaults.everyMs,
    minGapMs,
    samplingIntervalBytes: input.samplingIntervalBytes ?? 'auto',
    ignore: input.ignore ?? [],
    showValues: input.showValues ?? false,
    limits: { ...defaultGrowthLimits, ...input.limits },
  };
}

/**
 * Parses `10m`, `90s`, `1h`, `500ms` or a bare number of seconds into milliseconds; null when it is not one.
 */
export function parseDurationMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's']!;
  const ms = Number(m[1]) * unit;
  return ms > 0 ? ms : null;
}
