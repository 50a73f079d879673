import type { Finding } from '../detect/finding.js';

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
}

/**
 * The `check` report, schemaVersion 1 (cli-contract.md). Fields beyond the contract's (`server`, `timing`,
 * `snapshots`, `curve`) are additions, as the contract allows.
 */
export interface CheckReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'leakfinder'; readonly version: string };
  readonly command: 'check';
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
}
