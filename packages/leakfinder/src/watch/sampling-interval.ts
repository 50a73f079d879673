/**
 * The sampling heap profiler's interval when the user gave none. Its cost is per sample (a stack walk and a
 * weak handle per sampled object, v8/src/profiler/sampling-heap-profiler.cc), so it grows with the target's
 * allocation rate, and its use is in samples of the leaking site, which grow with the requests watched.
 * Measured (docs/watch.md, bench/watch-overhead.mjs, an express server at 5–8k requests/s): 16 KiB cost it a
 * median 9.9% of its requests/s, 64 KiB 5.8%. A busy server has requests to spare for the coarser interval; a
 * quiet one pays little for the finer one and needs it to see a small leak in a few thousand requests.
 */
import { watchDefaults } from './watch-options.js';

/** The interval for a target that served `requestsPerSecond` when watch started (null: unknown, `--per time`). */
export function samplingIntervalFor(requestsPerSecond: number | null): number {
  return requestsPerSecond !== null && requestsPerSecond >= watchDefaults.busyRequestsPerSecond
    ? watchDefaults.busySamplingIntervalBytes
    : watchDefaults.quietSamplingIntervalBytes;
}
