/** The CLI's exit codes, as in the outside contract (cli-contract.md). */
export const ExitCode = {
  /** check: clean; analyze: nothing grows; diff/demo: done; lint: no findings. */
  Ok: 0,
  /** check: leak; analyze: something grows at every step; lint: findings. */
  Found: 1,
  /** inconclusive, bad usage, unreadable file, server failed. */
  NoVerdict: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
