import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessWarningLine, refineFindings, refineLimits } from '../detect/refine-kind.js';
import { foldFindings, type Finding, type SourceSite } from '../detect/finding.js';
import { defaultGrowthLimits, type GrowthAssessment, type GrowthLimits } from '../detect/per-request-growth.js';
import { leastSquares, type GroupSample } from '../detect/series.js';
import { assessWindow, describeBorderline } from './assess-window.js';
import { toGrowthFinding } from './growth-finding.js';
import { makePrivateDirectory } from './private-directory.js';
import { usageError } from '../errors.js';
import type { ByStatus, CheckpointRow, CheckReport, Verdict } from '../report/model.js';
import { toCheckpointRow } from './checkpoint-row.js';
import { takeCheckpoint, type Checkpoint } from '../runner/checkpoints.js';
import { launchServer, type LaunchedServer, type LaunchOptions } from '../runner/launch.js';
import { LoadDriver } from '../runner/load.js';
import { loadScenario } from '../runner/load-scenario.js';
import { ScenarioDriver } from '../runner/scenario-driver.js';
import type { TrafficDriver } from '../runner/traffic-driver.js';
import { explainSnapshotGroups, summarizeSnapshot } from './snapshot-engine.js';
import { checkSessionsSafely, mergeSessionResult, type CheckSessionsResult } from './sessions.js';
import { addCreationSites, allocStacksEnv, resolveAllocStacksMode, startAllocStacksWindow, type AllocStacksMode } from './alloc-stacks.js';
import { tool } from '../version.js';
import { brokenRunReason, describeFailure, withPartialReport, type Interruption, type RunPhase } from './interrupted-report.js';

/**
 * Options of {@link check}. Sizes are in requests, times in milliseconds. How the server is started and
 * found (`command`, e.g. `['node', 'server.js']`, `['npm', 'start']`, `['tsx', 'src/app.ts']`; `cwd`, `env`,
 * `port`, `url`, `readyPath`) is as in {@link launchServer}.
 */
export interface CheckOptions extends Pick<LaunchOptions, 'command' | 'cwd' | 'env' | 'port' | 'url' | 'readyPath'> {
  /** Default 30 s. */
  readonly startupTimeoutMs?: number;
  /** Round-robin; `{n}` becomes the request number. Default `['/']`. */
  readonly paths?: readonly string[];
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /**
   * A scenario module (`flow.mjs`, or `flow.ts` where tsx is installed) whose default export is one iteration
   * of real traffic; growth is then measured per iteration and run sizes count iterations (issue #15,
   * docs/check.md). Exclusive with `paths`, `method` and `body`.
   */
  readonly scenario?: string;
  /** An iteration that has not settled after this long fails (default {@link checkDefaults}.iterationTimeoutMs). */
  readonly iterationTimeoutMs?: number;
  /** Requests (or iterations) in flight at once (default 8). */
  readonly concurrency?: number;
  /** A request with no answer after this long counts as failed (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Keep cookies the server sets (default: cookie-less, like a crawler). */
  readonly cookies?: boolean;
  /** Requests before the first checkpoint (default {@link checkDefaults}.warmup). */
  readonly warmup?: number;
  /** Measured requests in all, split over the checkpoints. */
  readonly requests?: number;
  /** Measured intervals (at least 4); one more checkpoint is taken as the baseline after the warm-up. */
  readonly checkpoints?: number;
  /** Upper bound on the whole run, extensions included (default 120 s). */
  readonly maxDurationMs?: number;
  /** Class names whose growth is expected and not reported. */
  readonly ignore?: readonly string[];
  /** Keep the snapshots in a new folder under this directory. */
  readonly keepSnapshotsDir?: string;
  /** Show data keys and values in retainer paths (default: `<key>`). */
  readonly showValues?: boolean;
  /** Where leaked objects are created: `sampling` (default), `tracking` (exact, slower) or `off` (issue #5). */
  readonly allocStacks?: AllocStacksMode;
  /** Thresholds of the growth rule, for experiments; the defaults are measured. */
  readonly limits?: Partial<GrowthLimits>;
  /** Aborting stops the run, kills the server, keeps the snapshots and rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Progress, one line at a time (the CLI prints them on stderr). */
  readonly onProgress?: (message: string) => void;
  /** The server's own output lines. */
  readonly onServerOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
}

/** Defaults, chosen by measurement on the fixture servers (docs/check.md gives the numbers). */
export const checkDefaults = {
  warmup: 2_000,
  requests: 1_000,
  checkpoints: 4,
  concurrency: 8,
  startupTimeoutMs: 30_000,
  maxDurationMs: 120_000,
  iterationTimeoutMs: 10_000,
  /** More than this share of non-2xx/3xx responses and the run gives no verdict. */
  maxFailedShare: 0.5,
} as const;

const knownKeys = new Set([
  'command', 'cwd', 'env', 'port', 'url', 'readyPath', 'startupTimeoutMs', 'paths', 'method', 'headers', 'body',
  'concurrency', 'cookies', 'warmup', 'requests', 'checkpoints', 'maxDurationMs', 'ignore', 'keepSnapshotsDir',
  'showValues', 'limits', 'signal', 'onProgress', 'onServerOutput', 'allocStacks', 'scenario', 'iterationTimeoutMs',
  'requestTimeoutMs',
]);

type ResolvedCheckOptions = Required<Pick<CheckOptions, 'paths' | 'method' | 'headers' | 'concurrency' | 'warmup' | 'requests' | 'checkpoints' | 'maxDurationMs' | 'startupTimeoutMs' | 'ignore' | 'showValues' | 'cookies' | 'iterationTimeoutMs'>> &
  CheckOptions & { readonly limits: GrowthLimits; readonly allocStacks: AllocStacksMode };

/** Validates once, at the boundary; everything below trusts the result. */
export function resolveCheckOptions(input: CheckOptions): ResolvedCheckOptions {
  for (const key of Object.keys(input)) {
    if (!knownKeys.has(key)) throw usageError(`check(): unknown option \`${key}\`.`);
  }
  if (input.command.length === 0) {
    throw usageError('no server command given: put it after `--`, e.g. `leakfinder check -- node server.js`.');
  }
  const int = (name: string, value: number | undefined, fallback: number, min: number): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < min) throw usageError(`\`--${name}\` must be an integer ≥ ${min}, got ${String(value)}.`);
    return v;
  };
  const checkpoints = int('checkpoints', input.checkpoints, checkDefaults.checkpoints, 4);
  const requests = int('requests', input.requests, checkDefaults.requests, 1);
  if (requests < checkpoints) throw usageError(`\`--requests\` (${requests}) must be at least \`--checkpoints\` (${checkpoints}).`);
  if (input.scenario !== undefined) {
    const clash = (['paths', 'method', 'body'] as const).filter((k) => input[k] !== undefined).map((k) => (k === 'paths' ? '--path' : `--${k}`));
    if (clash.length > 0) throw usageError(`\`--scenario\` cannot be combined with \`${clash.join('`, `')}\`: the scenario makes its own requests; drop one of them.`);
  }
  const paths = input.paths ?? ['/'];
  for (const p of paths) if (!p.startsWith('/')) throw usageError(`\`--path\` must start with "/", got ${JSON.stringify(p)}.`);
  return {
    ...input,
    paths,
    method: (input.method ?? 'GET').toUpperCase(),
    headers: input.headers ?? {},
    concurrency: int('concurrency', input.concurrency, checkDefaults.concurrency, 1),
    warmup: int('warmup', input.warmup, checkDefaults.warmup, 0),
    requests,
    checkpoints,
    maxDurationMs: int('max-duration', input.maxDurationMs, checkDefaults.maxDurationMs, 1),
    startupTimeoutMs: int('startup-timeout', input.startupTimeoutMs, checkDefaults.startupTimeoutMs, 1),
    ignore: input.ignore ?? [],
    showValues: input.showValues ?? false,
    cookies: input.cookies ?? false,
    iterationTimeoutMs: int('iteration-timeout', input.iterationTimeoutMs, checkDefaults.iterationTimeoutMs, 1),
    limits: { ...defaultGrowthLimits, minCheckpoints: checkpoints + 1, ...input.limits },
    allocStacks: resolveAllocStacksMode(input.allocStacks),
  };
}

/** State a run accumulates; kept when it breaks off, so nothing measured is lost. */
interface RunState {
  readonly startedAt: number;
  readonly directory: string;
  server: LaunchedServer | undefined;
  readonly checkpoints: Checkpoint[];
  readonly summaries: Promise<GroupSample[]>[];
  readonly warnings: string[];
  /** The server's MaxListenersExceededWarning lines and the like: evidence for refined kinds (#16). */
  readonly serverWarnings: string[];
  loadMs: number;
  warmupSent: number;
  /** Where the run is, for the report of a run that breaks off (interrupted-report.ts). */
  phase: RunPhase;
}

/**
 * Starts the server under the inspector, drives requests, snapshots at checkpoints and reports what grows
 * per request. Resolves with a report for every verdict, including `inconclusive` when the server crashed
 * mid-run; rejects for bad options, a server that never started, or an abort (after keeping the snapshots).
 */
export async function check(input: CheckOptions): Promise<CheckReport> {
  const options = resolveCheckOptions(input);
  const progress = options.onProgress ?? (() => undefined);
  const state: RunState = {
    startedAt: performance.now(),
    directory: await makePrivateDirectory(options.keepSnapshotsDir, 'leakfinder-'),
    server: undefined,
    checkpoints: [],
    summaries: [],
    warnings: [],
    serverWarnings: [],
    loadMs: 0,
    warmupSent: 0,
    phase: 'startup',
  };
  let keepSnapshots = options.keepSnapshotsDir !== undefined;
  let load: TrafficDriver | undefined;
  try {
    // A scenario is loaded before the server starts, so a broken file costs no startup.
    const scenario = options.scenario === undefined ? undefined : await loadScenario(options.scenario, { cwd: options.cwd });
    state.server = await startServer(options, progress, state.serverWarnings, state.directory);
    if (scenario !== undefined) progress(`scenario ${scenario.file}${scenario.setup ? ': setup' : ''}`);
    load = scenario !== undefined
      ? await ScenarioDriver.start({ baseUrl: state.server.baseUrl, scenario, concurrency: options.concurrency, iterationTimeoutMs: options.iterationTimeoutMs, headers: options.headers, keepCookies: options.cookies, signal: options.signal })
      : new LoadDriver({
      baseUrl: state.server.baseUrl,
      paths: options.paths,
      method: options.method,
      headers: options.headers,
      body: options.body,
      concurrency: options.concurrency,
      keepCookies: options.cookies,
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    });
    const crashed = await runUntilServerExits(state.server, () => measure(options, state, load!, progress));
    if (crashed !== undefined) {
      if (state.checkpoints.length > 0) keepSnapshots = true;
      return await buildReport(options, state, load, { crashed, code: 'LF_TARGET_EXITED' });
    }
    // Session-per-request step (#6, docs/sessions.md): cookie-less runs only; a failure becomes a warning.
    let sessions: CheckSessionsResult | undefined;
    state.phase = 'sessions';
    // Scenarios choose their own cookies (`fetch.withCookies()`), so the cookie-less replay does not apply;
    // a run whose requests mostly failed (a server that answers 500s or nothing) has no session step either.
    const skipSessions = options.cookies || scenario !== undefined || failedShareOf(load) > checkDefaults.maxFailedShare;
    const sessionCrash = skipSessions ? undefined : await runUntilServerExits(state.server, async () => {
      const { command, cwd, paths, method, headers, body, showValues, signal } = options;
      sessions = await checkSessionsSafely({ command, cwd, paths, method, headers, body, showValues, signal, server: state.server!, directory: state.directory, firstRequestNumber: load!.sent + 1, trackAllocations: options.allocStacks === 'sampling' || options.allocStacks === 'rerun', onProgress: progress });
    });
    if (sessionCrash !== undefined && state.checkpoints.length > 0) keepSnapshots = true;
    const report = mergeSessionResult(await buildReport(options, state, load, sessionCrash === undefined ? undefined : { crashed: sessionCrash, code: 'LF_TARGET_EXITED' }), sessions);
    // A Ctrl-C the final analysis did not notice still ends the run as interrupted (exit 2, snapshots kept).
    if (options.signal?.aborted) throw options.signal.reason;
    return report;
  } catch (error) {
    // Every ending writes the report (issue #11): what was measured rides on the error to the CLI.
    if (state.checkpoints.length > 0) {
      keepSnapshots = true;
      progress(`kept ${state.checkpoints.length} snapshot(s) in ${state.directory}`);
    }
    if (state.phase === 'warm-up') state.warmupSent = load?.sent ?? 0;
    const { what, code } = describeFailure(error, state.phase);
    const partial = await buildReport(options, state, load ?? noLoad, { crashed: what, code }).catch(() => undefined);
    throw partial === undefined ? error : withPartialReport(error, partial);
  } finally {
    await load?.close();
    await state.server?.stop();
    if (!keepSnapshots) await rm(state.directory, { recursive: true, force: true });
  }
}

async function startServer(options: ResolvedCheckOptions, progress: (m: string) => void, serverWarnings: string[], scratchDirectory: string): Promise<LaunchedServer> {
  progress(`starting \`${options.command.join(' ')}\` under the inspector`);
  const server = await launchServer({
    command: options.command,
    cwd: options.cwd,
    env: allocStacksEnv(options.allocStacks, options.env),
    port: options.port,
    url: options.url,
    readyPath: options.readyPath,
    startupTimeoutMs: options.startupTimeoutMs,
    scratchDirectory,
    onOutput: (stream, line) => {
      if (serverWarnings.length < 20 && isProcessWarningLine(line)) serverWarnings.push(line);
      options.onServerOutput?.(stream, line);
    },
    signal: options.signal,
  });
  progress(`server ready at ${server.baseUrl} (pid ${server.servingPid})`);
  return server;
}

/** Runs `step`; if the server exits first (or the step fails because it exited), says how it exited. */
async function runUntilServerExits(server: LaunchedServer, step: () => Promise<void>): Promise<string | undefined> {
  const running = step();
  running.catch(() => undefined); // after a crash it fails on its own; the race below has decided
  const exit = server.exited.then((description) => ({ description }));
  try {
    const result = await Promise.race([running.then(() => undefined), exit]);
    return result === undefined ? undefined : `the server ${result.description} during the run`;
  } catch (error) {
    // A call to a dying server may fail a moment before its exit is seen: give the exit a second.
    const exited = await Promise.race([exit, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1_000))]);
    if (exited !== undefined) return `the server ${exited.description} during the run`;
    throw error;
  }
}

/** Warm-up, the baseline checkpoint, the measured intervals and, while the fit is unclear, more of them. */
async function measure(options: ResolvedCheckOptions, state: RunState, load: TrafficDriver, progress: (m: string) => void): Promise<void> {
  const server = state.server!;
  const signal = options.signal;
  const units = options.scenario === undefined ? 'requests' : 'iterations';
  state.phase = 'warm-up';
  if (options.warmup > 0) {
    progress(`warm-up: ${options.warmup} ${units}`);
    // One round first: a server that accepts connections but answers nothing would hold every later round
    // for a request timeout each; no answer at all ends the run here (inconclusive, exit 2).
    const probe = Math.min(options.warmup, options.concurrency);
    await timedLoad(state, () => load.run(probe, { signal }));
    state.warmupSent = load.sent;
    if (load.byStatus.failed === probe) return;
    await timedLoad(state, () => load.run(options.warmup - probe, { signal }));
  }
  state.warmupSent = load.sent;
  state.phase = 'measuring';
  // A run whose requests mostly fail measures nothing useful: stop before the snapshots.
  if (options.warmup > 0 && failedShareOf(load) > checkDefaults.maxFailedShare) return;
  const interval = Math.floor(options.requests / options.checkpoints);
  const snapshotAt = async (): Promise<void> => {
    const index = state.checkpoints.length;
    const snapshotsToCome = Math.max(1, options.checkpoints + 1 - index);
    const checkpoint = await takeCheckpoint(server.session, { index, requestsSent: load.sent, directory: state.directory, snapshotsToCome, signal });
    state.checkpoints.push(checkpoint);
    // Read each snapshot in the worker while the next interval's load runs, one at a time: a worker needs
    // several times the snapshot's size in memory, and big heaps make the reading slower than an interval.
    const previous = state.summaries.at(-1)?.catch(() => undefined) ?? Promise.resolve();
    const summary = previous.then(() => summarizeSnapshot(checkpoint.snapshotPath, { signal }));
    summary.catch(() => undefined); // awaited later; avoid an unhandled rejection meanwhile
    state.summaries.push(summary);
    progress(
      `checkpoint ${index} at ${load.sent - state.warmupSent} ${units}: heapUsed ${(checkpoint.heapUsedBytes / 1048576).toFixed(1)} MiB, ` +
        `GC + snapshot ${Math.round(checkpoint.durationMs)} ms`,
    );
  };
  await snapshotAt();
  // Creation sites (#5): the sampling profiler covers the measured requests only.
  await startAllocStacksWindow(options.allocStacks, server.session, signal).catch((error: unknown) => {
    state.warnings.push(`creation sites: the sampling heap profiler could not start (${(error as Error).message}).`);
  });
  for (let i = 0; i < options.checkpoints; i++) {
    await timedLoad(state, () => load.run(interval, { signal }));
    await snapshotAt();
  }
  // Adaptive: while some group is borderline and time is left, add intervals; the verdict looks at the
  // latest `checkpoints + 1` checkpoints, so warm-up that is dying down leaves the window.
  for (;;) {
    const assessment = await assess(options, state);
    if (assessment.growing.length > 0 || assessment.borderline.length === 0) return;
    const elapsedMs = performance.now() - state.startedAt;
    const perIntervalMs = elapsedMs / state.checkpoints.length;
    if (elapsedMs + 2 * perIntervalMs > options.maxDurationMs) return;
    progress(`not clear yet (${describeBorderline(assessment)}): ${interval} more ${units}`);
    await timedLoad(state, () => load.run(interval, { signal }));
    await snapshotAt();
  }
}

async function timedLoad(state: RunState, run: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await run();
  state.loadMs += performance.now() - started;
}

/** The growth rule over the latest window of checkpoints. */
async function assess(options: ResolvedCheckOptions, state: RunState): Promise<GrowthAssessment & { windowStart: number }> {
  const summaries = await Promise.all(state.summaries);
  const points = state.checkpoints.map((c, i) => ({ requests: c.requestsSent - state.warmupSent, groups: summaries[i]! }));
  return assessWindow(points, options.limits, options.ignore);
}

/** Share of responses that were 4xx, 5xx or no response at all. */
function failedShareOf(load: TrafficDriver): number {
  const s = load.byStatus;
  const total = s['2xx'] + s['3xx'] + s['4xx'] + s['5xx'] + s.failed;
  return total === 0 ? 0 : (s['4xx'] + s['5xx'] + s.failed) / total;
}

/** What a report reads when the run broke off before any traffic (the server never started). */
const noLoad: TrafficDriver = {
  byStatus: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 },
  sent: 0,
  errors: [],
  run: async () => undefined,
  close: () => undefined,
};

async function buildReport(
  options: ResolvedCheckOptions,
  state: RunState,
  load: TrafficDriver,
  broken: { crashed: string; code: Interruption['code'] } | undefined,
): Promise<CheckReport> {
  const progress = options.onProgress ?? (() => undefined);
  const analysisStarted = performance.now();
  const byStatus: ByStatus = { ...load.byStatus };
  const measured = load.sent - state.warmupSent;
  const failedShare = failedShareOf(load);
  let verdict: Verdict;
  let reason: string | null = null;
  let findings: Finding[] = [];
  const warnings = [...state.warnings];
  if (load.errors.length > 0) warnings.push(`${load instanceof ScenarioDriver ? 'failed iterations' : 'request errors'}, e.g. ${load.errors[0]}`);
  if (broken) {
    verdict = 'inconclusive';
    reason = brokenRunReason(broken.crashed, state.checkpoints.length, state.directory);
  } else if (failedShare > checkDefaults.maxFailedShare) {
    verdict = 'inconclusive';
    reason = load instanceof ScenarioDriver
      ? `${Math.round(failedShare * 100)}% of the scenario's iterations failed (more than ${checkDefaults.maxFailedShare * 100}%), e.g. ${load.errors[0] ?? 'no error recorded'}`
      : `${Math.round(failedShare * 100)}% of the requests failed or got 4xx/5xx (more than ${checkDefaults.maxFailedShare * 100}%${load.errors.length > 0 ? `; e.g. ${load.errors[0]}` : ''}): check \`--path\`, \`--method\` and \`--header\``;
  } else {
    progress('reading the snapshots');
    state.phase = 'analysis';
    const assessment = await assess(options, state);
    if (assessment.growing.length > 0) {
      verdict = 'leak';
      const last = state.checkpoints.at(-1)!;
      const explanations = await explainSnapshotGroups(
        last.snapshotPath,
        assessment.growing.map((g) => g.series.key),
        { showValues: options.showValues, signal: options.signal },
      );
      const unfolded = assessment.growing.map((g) => toGrowthFinding(g, explanations.find((e) => e.key === g.series.key), assessment.windowStart, state.checkpoints.length));
      // Creation sites in the user's source (#5), while the server still runs: its scripts and maps are read live.
      const keyOf = new Map(unfolded.map((f, i) => [f, assessment.growing[i]!.series.key]));
      const withSites = await addCreationSites(unfolded, {
        mode: options.allocStacks,
        session: state.server!.session,
        rawStacks: new Map(explanations.map((e) => [e.key, e.creationStacks])),
        groupKeyOf: (f) => keyOf.get(f),
        signal: options.signal,
        literalJoins: 'weak',
        rerun: {
          stopMeasuredServer: () => state.server!.stop(),
          launch: (env) => startServer({ ...options, env }, progress, [], state.directory),
          env: options.env,
          plan: { paths: options.paths, method: options.method, headers: options.headers, body: options.body, concurrency: options.concurrency, keepCookies: options.cookies },
          directory: state.directory,
          onProgress: progress,
        },
      });
      warnings.push(...withSites.warnings);
      findings = foldFindings(withSites.findings);
    } else if (assessment.borderline.length > 0) {
      verdict = 'inconclusive';
      reason = `growth is not clear within \`--max-duration\` (${Math.round(options.maxDurationMs / 1000)} s): ${describeBorderline(assessment)}; run longer with a larger \`--max-duration\` or \`--requests\``;
    } else {
      verdict = 'clean';
    }
  }
  const rows: CheckpointRow[] = state.checkpoints.map((c) => toCheckpointRow(c, c.requestsSent - state.warmupSent));
  // The most precise kind of each finding (#16), from the findings and what each checkpoint measured.
  findings = refineFindings(findings, { checkpoints: rows, serverWarnings: state.serverWarnings });
  const heapFit = rows.length >= 3 ? leastSquares(rows.map((r) => r.requests), rows.map((r) => r.heapUsedBytes)) : undefined;
  const limits = options.limits;
  const kept = (broken !== undefined && state.checkpoints.length > 0) || options.keepSnapshotsDir !== undefined;
  const files = kept ? (await readdir(state.directory).catch(() => [])).filter((f) => f.endsWith('.heapsnapshot')).sort().map((f) => join(state.directory, f)) : [];
  return {
    schemaVersion: 1,
    tool,
    command: 'check',
    unit: options.scenario !== undefined ? 'iteration' : 'request',
    verdict,
    reason,
    requests: { warmup: state.warmupSent, measured, byStatus },
    thresholds: {
      warmupRequests: options.warmup,
      measuredRequests: options.requests,
      intervals: options.checkpoints,
      requestsPerInterval: Math.floor(options.requests / options.checkpoints),
      windowCheckpoints: limits.minCheckpoints,
      minCountPerRequest: limits.minCountPerRequest,
      minSlopeSigmas: limits.minSlopeSigmas,
      minRisingShare: limits.minRisingShare,
      minLastIntervalShare: limits.minLastIntervalShare,
      maxFailedShare: checkDefaults.maxFailedShare,
      maxDurationSeconds: options.maxDurationMs / 1000,
      concurrency: options.concurrency,
      cookies: options.cookies,
      ignore: options.ignore.join(', '),
      allocStacks: options.allocStacks,
      ...refineLimits, // the refined kinds' thresholds (#16)
    },
    checkpoints: rows,
    findings,
    warnings,
    server: { command: options.command, baseUrl: state.server?.baseUrl ?? null, pid: state.server?.servingPid ?? null },
    timing: {
      wallMs: performance.now() - state.startedAt,
      snapshotOverheadMs: state.checkpoints.reduce((sum, c) => sum + c.durationMs, 0),
      analysisMs: performance.now() - analysisStarted,
      loadMs: state.loadMs,
    },
    snapshots: { directory: state.directory, kept, files },
    heapUsedBytesPerRequest: heapFit ? heapFit.slope : null,
    ...(load instanceof ScenarioDriver ? { scenario: load.summary() } : {}),
    ...(broken === undefined ? {} : { interruption: { code: broken.code, phase: state.phase } }),
  };
}

export type { SourceSite };
