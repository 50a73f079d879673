import type { ComparisonEntry } from '../detect/compare-findings.js';
import type { Finding } from '../detect/finding.js';

/**
 * What one step of the load is (issue #15): a `request` (`--path`), an `iteration` of a `--scenario`, or a
 * `second` (time-based `watch` of a server under its own traffic: one field for the unit, not two).
 * Every "per request" count of the report (`requests.*`, `checkpoints[].requests`, `countPerRequest`,
 * `bytesPerRequest`, `heapUsedBytesPerRequest`) is per this unit.
 */
export type LoadUnit = 'request' | 'iteration' | 'second';

/** A scenario run (`check --scenario`): the HTTP requests inside its iterations and the first failure. */
export interface ScenarioReport {
  /** Absolute path of the scenario file. */
  readonly file: string;
  /** Requests made through the scenario's `fetch` inside iterations (not in setup/teardown). */
  readonly httpRequests: number;
  /** Their statuses; `failed` = no response. */
  readonly httpByStatus: ByStatus;
  readonly iterationTimeoutSeconds: number;
  /** The first failed iteration: its message, and the scenario file and line its stack runs through. */
  readonly firstError: { readonly message: string; readonly file: string | null; readonly line: number | null } | null;
}

/** The verdict of a `check` run; the CLI maps it to exit codes 1 / 0 / 2. */
export type Verdict = 'leak' | 'clean' | 'inconclusive';

/** Responses by status class, as in the contract. */
export interface ByStatus {
  readonly '2xx': number;
  readonly '3xx': number;
  readonly '4xx': number;
  readonly '5xx': number;
  readonly failed: number;
}

/** One checkpoint in the report (contract fields, plus what the snapshot cost). */
export interface CheckpointRow {
  /** Measured requests (after the warm-up) when it was taken. */
  readonly requests: number;
  readonly heapUsedBytes: number;
  readonly externalBytes: number;
  readonly arrayBuffersBytes: number;
  readonly rssBytes: number;
  readonly snapshotBytes: number;
  /** GC + snapshot time at this checkpoint. */
  readonly overheadMs: number;
  /** Live handles by type (`process.getActiveResourcesInfo()`: `Timeout`, `TCPSocketWrap`, …); null if unknown. */
  readonly activeResources?: Readonly<Record<string, number>> | null;
}

/**
 * The `check` report, schemaVersion 1 (cli-contract.md). Fields beyond the contract's (`server`, `timing`,
 * `snapshots`, `curve`) are additions, as the contract allows.
 */
export interface CheckReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'leakfinder'; readonly version: string };
  readonly command: 'check' | 'watch';
  /** `watch` only: how it measured and what it cost the target. */
  readonly watch?: WatchDetails;
  /**
   * What a "request" is in this report (default `request`); with `iteration`, `requests.byStatus` counts
   * iterations: `2xx` resolved, `failed` threw or timed out (the HTTP statuses are in `scenario`). `watch
   * --per time` says `second`: every `…PerRequest` field is then per second and `checkpoints[].requests` and
   * `requests.measured` are seconds watched and requests seen.
   */
  readonly unit?: LoadUnit;
  readonly verdict: Verdict;
  /** Why inconclusive, or null. */
  readonly reason: string | null;
  readonly requests: { readonly warmup: number; readonly measured: number; readonly byStatus: ByStatus };
  /** Every threshold and run size the verdict used, by name. */
  readonly thresholds: Readonly<Record<string, number | string | boolean>>;
  readonly checkpoints: readonly CheckpointRow[];
  readonly findings: readonly Finding[];
  readonly warnings: readonly string[];
  readonly server: { readonly command: readonly string[]; readonly baseUrl: string | null; readonly pid: number | null };
  readonly timing: {
    readonly wallMs: number;
    /** Forced GC and heap snapshots, summed over the checkpoints. */
    readonly snapshotOverheadMs: number;
    /** Reading the snapshots (in a worker, partly overlapping the load). */
    readonly analysisMs: number;
    readonly loadMs: number;
  };
  /** Where the snapshots are: kept with `--keep-snapshots`, or when the run broke off. */
  readonly snapshots: { readonly directory: string; readonly kept: boolean; readonly files: readonly string[] };
  /** Least-squares slope of post-GC heapUsed against measured requests (bytes per request), for context. */
  readonly heapUsedBytesPerRequest: number | null;
  /** Present when the load was a `--scenario`. */
  readonly scenario?: ScenarioReport;
  /** With `check --baseline` (#16): what became of each finding of the baseline, and new ones. */
  readonly comparison?: ReportComparison;
  /**
   * Only on a run that broke off (Ctrl-C, a crash of the server, a full disk, a startup failure, a timeout):
   * the `LF_*` code of what ended it (docs/errors.md; `internal-error` for a bug) and the phase it was in
   * (`startup`, `warm-up`, `measuring`, `sessions`, `analysis`). The verdict is then `inconclusive`.
   */
  readonly interruption?: { readonly code: string; readonly phase: string };
}

/**
 * A baseline report compared with a later run (#16): `leakfinder compare` prints it, `check --baseline` adds
 * it to the report. `result` is `fail` when a baseline leak remains (`smaller` or `still leaking`) or a
 * `new` one appeared, `pass` otherwise, `no verdict` when either run was inconclusive.
 */
export interface ReportComparison {
  /** The baseline report's path as given. */
  readonly baseline: string;
  readonly baselineVerdict: Verdict;
  readonly verdict: Verdict;
  readonly entries: readonly ComparisonEntry[];
  readonly summary: { readonly fixed: number; readonly smaller: number; readonly stillLeaking: number; readonly new: number };
  readonly result: 'pass' | 'fail' | 'no verdict';
}

/** `watch`'s part of the report: how the running process was measured and what that cost it. */
export interface WatchDetails {
  /** The mode asked for, and the one the run ended in (snapshot mode falls back to sampling when unsafe). */
  readonly mode: 'snapshot' | 'sampling';
  readonly endedInMode: 'snapshot' | 'sampling';
  readonly target: { readonly pid: number; readonly nodeVersion: string; readonly inspector: string; readonly openedInspector: boolean };
  /** How the watch ended: `duration`, `requests`, `interrupted`, `target-exited`. */
  readonly endedBy: string;
  /** Snapshots not taken because the target's memory could not take them, each with its numbers. */
  readonly skippedSnapshots: readonly string[];
  /** The longest single pause of the target caused by watch (GC + snapshot, or reading a profile), ms. */
  readonly longestPauseMs: number;
  /** Groups or allocation sites rising now, with their fitted slopes (the live page shows them). */
  readonly candidates: readonly WatchCandidate[];
  /** Whether everything of ours was removed from the target at the end (subscriber, counter, profilers, inspector). */
  readonly restored: boolean;
}

/** A group (snapshot mode) or an allocation site (sampling mode) whose size rises, with its fit. */
export interface WatchCandidate {
  readonly name: string;
  readonly source: 'snapshot' | 'sampling';
  readonly countPerRequest: number | null;
  readonly bytesPerRequest: number;
  readonly fitR2: number;
  readonly requests: readonly number[];
  readonly values: readonly number[];
}
