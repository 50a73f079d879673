import type { StatusCounts } from './load.js';

/**
 * What `check` needs from whatever drives the server between checkpoints: plain requests ({@link LoadDriver})
 * or a user's scenario ({@link ScenarioDriver}). A "unit" is one request or one iteration.
 */
export interface TrafficDriver {
  /** Units started so far over every batch. */
  readonly sent: number;
  /** Outcomes so far; for iterations, a resolved one counts as `2xx` and a failed one as `failed`. */
  readonly byStatus: StatusCounts;
  /** The first few errors, each one line (with the scenario's file and line when known). */
  readonly errors: readonly string[];
  /** Runs `count` units; aborting stops new ones and rejects with `signal.reason`. */
  run(count: number, options?: { signal?: AbortSignal }): Promise<unknown>;
  /** Releases sockets (and runs a scenario's `teardown`). */
  close(): void | Promise<void>;
}
