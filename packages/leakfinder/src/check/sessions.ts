import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import type { Finding, SourceSite } from '../detect/finding.js';
import { findSessionInstallSites, type SessionInstallMatch } from '../detect/session-install-site.js';
import {
  assessSessions,
  buildSessionFinding,
  defaultSessionLimits,
  recognizeSessionFramework,
  ruleOutSessionLeak,
  type SessionAssessment,
  type SessionInstallSite,
  type SessionLimits,
} from '../detect/sessions.js';
import { buildGroupSeries, type GroupSample } from '../detect/series.js';
import { resolveCreationSites } from '../sources/creation-sites.js';
import { isLibraryFrame, type CreationSites } from '../detect/creation-site.js';
import { startAllocationTracking, stopAllocationTracking } from '../inspector/allocation-tracking.js';
import { collectGarbage, takeHeapSnapshot } from '../inspector/heap.js';
import { readScriptSources } from '../inspector/script-sources.js';
import type { InspectorSession } from '../inspector/session.js';
import { defaultSessionPhases, probeSessions, type SessionProbeResult } from '../runner/session-probe.js';
import { explainGroups, summarizeSnapshotFile } from '../snapshot/index.js';
import { SourceMapResolver } from '../sources/source-maps.js';

/** Defaults of the session step, chosen by measurement on the session fixtures (docs/sessions.md). */
export const sessionDefaults = {
  /** K: requests per phase; three phases (cookie-less, replay, cookie-less) make 3·K requests. */
  requestsPerPhase: 40,
  /** Pause before collecting at a boundary, so the last responses' work (session saves) finishes. */
  idleMs: 100,
} as const;

/** Options of {@link checkSessions}. */
export interface CheckSessionsOptions {
  readonly server: { readonly baseUrl: string; readonly session: InspectorSession };
  /** The server command, to find its source for the install line (`node server.js`, `tsx src/app.ts`). */
  readonly command: readonly string[];
  readonly cwd?: string;
  readonly paths: readonly string[];
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Private (0700) directory for the boundary snapshots. */
  readonly directory: string;
  /** Sequence number of the probe's first request, for `{n}` paths. */
  readonly firstRequestNumber: number;
  readonly requestsPerPhase?: number;
  /**
   * Track allocations over CDP during the last cookie-less phase, for creation stacks (default true). Off
   * when the user turned stacks off, or when the server already tracks from startup (`--track-heap-objects`,
   * whose snapshots carry stacks anyway; stopping the tracker over CDP would end that).
   */
  readonly trackAllocations?: boolean;
  readonly limits?: Partial<SessionLimits>;
  readonly showValues?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
}

/** What the session step found; `mergeSessionResult` folds it into the check report. */
export interface CheckSessionsResult {
  /** False when no cookie-less response set a cookie: nothing was measured. */
  readonly ran: boolean;
  /** Null when the step failed before the probe finished (the reason is in `warnings`). */
  readonly probe: SessionProbeResult | null;
  readonly assessment: SessionAssessment | null;
  readonly finding: Finding | null;
  /** Keys of every group the session finding explains (primary and related), to drop their generic findings. */
  readonly explainedGroupKeys: readonly string[];
  readonly warnings: readonly string[];
  readonly thresholds: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly overheadMs: number;
}

/**
 * The session-per-request step of `check`: with the server warm and idle, drive K cookie-less requests, K
 * that replay the first cookie, and K cookie-less again, with a GC and heap snapshot at each boundary; then
 * decide, and for a leak find the line responsible (allocation site, or the `.use(session(...))` line by a
 * static search of the server's source plus the library function that stores the session).
 */
export async function checkSessions(options: CheckSessionsOptions): Promise<CheckSessionsResult> {
  const progress = options.onProgress ?? (() => undefined);
  const limits = { ...defaultSessionLimits, ...options.limits };
  const requestsPerPhase = options.requestsPerPhase ?? sessionDefaults.requestsPerPhase;
  const snapshots: { requests: number; path: string; summary: Promise<GroupSample[]> }[] = [];
  const warnings: string[] = [];
  const session = options.server.session;
  const signal = options.signal;
  const lastBoundary = defaultSessionPhases.length;
  let tracking = false;
  let ruledOut: string | null = null;
  let overheadMs = 0;
  let probe: SessionProbeResult;
  try {
    probe = await probeSessions({
      baseUrl: options.server.baseUrl,
      paths: options.paths,
      method: options.method,
      headers: options.headers,
      body: options.body,
      requestsPerPhase,
      phases: defaultSessionPhases,
      firstRequestNumber: options.firstRequestNumber,
      signal,
      onBoundary: async (index, requests, phasesSoFar) => {
        const started = performance.now();
        if (index === 0) progress(`session check: ${requestsPerPhase} cookie-less, ${requestsPerPhase} replaying, ${requestsPerPhase} cookie-less requests`);
        await new Promise((r) => setTimeout(r, sessionDefaults.idleMs));
        await session.call('Runtime.discardConsoleEntries', undefined, { signal }).catch(() => undefined);
        await collectGarbage(session, { signal });
        const path = join(options.directory, `session-${index}.heapsnapshot`);
        if (tracking) {
          // Stopping the tracker streams a snapshot that carries the allocation stacks of the last phase.
          tracking = false;
          await stopAllocationTracking(session, { path, signal });
        } else {
          await takeHeapSnapshot(session, path, { signal });
        }
        const summary = summarizeSnapshotFile(path, { signal }).then((s) => s.groups);
        summary.catch(() => undefined); // awaited below; read in the worker while the next phase runs
        snapshots.push({ requests, path, summary });
        if (index === 1) {
          // After the first cookie-less phase the cookies and the heap may already rule a leak out (a CSRF
          // token, one shared cookie): then the other phases and their snapshots are skipped.
          const soFar = await Promise.all(snapshots.map((s) => s.summary));
          const series = buildGroupSeries(snapshots.map((s, i) => ({ requests: s.requests, groups: soFar[i]! })));
          ruledOut = ruleOutSessionLeak(phasesSoFar, series, limits);
          if (ruledOut !== null) {
            overheadMs += performance.now() - started;
            return 'stop';
          }
        }
        if (index === lastBoundary - 1 && options.trackAllocations !== false) {
          // Track allocations during the last cookie-less phase only: its new sessions get creation stacks,
          // which tell user code that makes sessions from a library that does.
          try {
            await startAllocationTracking(session, { signal });
            tracking = true;
          } catch (error) {
            if (signal?.aborted === true) throw error;
            warnings.push(`session check: allocation tracking could not start (${(error as Error).message}); no creation stacks.`);
          }
        }
        overheadMs += performance.now() - started;
        return undefined;
      },
    });
  } finally {
    if (tracking) await stopAllocationTracking(session).catch(() => undefined);
  }
  const requests = probe.sniff.requests + probe.phases.reduce((sum, p) => sum + p.requests, 0);
  const thresholds = { requestsPerPhase, ...limits };
  if (!probe.ran) {
    return { ran: false, probe, assessment: null, finding: null, explainedGroupKeys: [], warnings: [], thresholds, requests, overheadMs };
  }
  if (ruledOut !== null) {
    progress(`session check: ${ruledOut}`);
    const assessment: SessionAssessment = { outcome: 'no-session-leak', reason: ruledOut, cookie: null, growing: [], warnings: [] };
    return { ran: true, probe, assessment, finding: null, explainedGroupKeys: [], warnings, thresholds, requests, overheadMs };
  }
  if (probe.stoppedEarly !== null) {
    warnings.push(`session check undecided: ${probe.stoppedEarly}.`);
    return { ran: true, probe, assessment: null, finding: null, explainedGroupKeys: [], warnings, thresholds, requests, overheadMs };
  }
  const summaries = await Promise.all(snapshots.map((s) => s.summary));
  const series = buildGroupSeries(snapshots.map((s, i) => ({ requests: s.requests, groups: summaries[i]! })));
  const assessment = assessSessions(probe.phases, series, limits);
  warnings.unshift(...assessment.warnings);
  for (const note of probe.notes) warnings.push(`session check: ${note}`);
  progress(`session check: ${assessment.reason}`);
  if (assessment.outcome !== 'leak') {
    return { ran: true, probe, assessment, finding: null, explainedGroupKeys: [], warnings, thresholds, requests, overheadMs };
  }
  const primary = assessment.growing[0]!;
  const last = snapshots.at(-1)!;
  const [explanation] = await explainGroups(last.path, [primary.series.key], { showValues: options.showValues, signal });
  const retainerPath = explanation?.retainerPath ?? [];
  const rawStacks = explanation?.creationStacks ?? [];
  let sites: CreationSites = { creationSite: null, creationStack: [], creationSites: [] };
  if (rawStacks.length > 0) {
    const scriptIds = new Set(rawStacks.flatMap((st) => st.frames.map((f) => f.scriptId)));
    const scripts = await readScriptSources(session, scriptIds, { signal }).catch(() => new Map());
    const resolver = new SourceMapResolver({ scripts });
    sites = resolveCreationSites(rawStacks, primary.series.className, resolver);
    for (const w of resolver.warnings) warnings.push(`session check: ${w}`);
  }
  // Who allocated the session objects: the first frame of the top stack that is the user's or a package's
  // (V8 builtins like JSON.stringify and node: internals only carry out the work). A user frame further
  // down (the route handler whose res.send() ran express-session's save) does not make it user code.
  const allocator = sites.creationStack.find((f) => f.file !== '' && !f.file.startsWith('node:') && !f.file.startsWith('internal/'));
  const userCreated = allocator !== undefined && !isLibraryFrame(allocator) && sites.creationSite !== null;
  const creationSite = userCreated ? sites.creationSite : null;
  const source = await searchServerSource(options.command, options.cwd ?? process.cwd());
  const framework = recognizeSessionFramework(assessment.cookie!.name, {
    retainerPath,
    installSite: null,
    creationSite,
    importedSessionPackages: source.importedPackages,
  });
  const installSite = userCreated ? null : pickInstallSite(source.sites, framework);
  const libraryFrame = userCreated
    ? null
    : (firstLibraryFrame(sites.creationStack) ??
      (await findLibraryFrame(framework, retainerPath, source.entryFile ?? join(options.cwd ?? process.cwd(), 'index.js'))) ??
      locationInPath(retainerPath));
  if (!userCreated && installSite === null) {
    warnings.push(
      source.entryFile === null
        ? 'session check: could not find the server source from the command, so the line that installs the session middleware is not named.'
        : `session check: no session middleware install (\`.use(session(...))\`) found in ${source.filesRead} file(s) from ${source.entryFile}` +
            (rawStacks.length === 0 ? ', and no allocation stacks were recorded.' : '.'),
    );
  }
  const finding = buildSessionFinding(assessment, {
    retainerPath,
    holder: explanation?.holder ?? null,
    creationSite,
    creationStack: sites.creationStack.map(toSourceSite),
    creationSites: sites.creationSites.map((c) => ({ site: toSourceSite(c.site), share: c.share })),
    installSite,
    libraryFrame,
    importedSessionPackages: source.importedPackages,
  });
  return {
    ran: true,
    probe,
    assessment,
    finding,
    explainedGroupKeys: assessment.growing.map((g) => g.series.key),
    warnings,
    thresholds,
    requests,
    overheadMs,
  };
}

/**
 * {@link checkSessions} for `check`: an abort still rejects, but any other failure of this extra step becomes a
 * warning, so the main run's report is never lost to it.
 */
export async function checkSessionsSafely(options: CheckSessionsOptions): Promise<CheckSessionsResult> {
  try {
    return await checkSessions(options);
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return {
      ran: false,
      probe: null,
      assessment: null,
      finding: null,
      explainedGroupKeys: [],
      warnings: [`session check failed, no session verdict: ${message}`],
      thresholds: {},
      requests: 0,
      overheadMs: 0,
    };
  }
}

/** The report fields the merge touches (the report model stays in report/, which compose does not import). */
interface MergeableReport {
  readonly verdict: 'leak' | 'clean' | 'inconclusive';
  readonly reason: string | null;
  readonly findings: readonly Finding[];
  readonly warnings: readonly string[];
  readonly thresholds: Readonly<Record<string, number | string | boolean>>;
}

/**
 * Folds the session step into a check report: the `session-per-request` finding replaces the generic
 * findings of the groups it explains (it is their refinement) and comes first; a session leak makes the
 * verdict `leak`; the step's warnings and thresholds (prefixed `session.`) are added.
 */
export function mergeSessionResult<R extends MergeableReport>(
  report: R,
  result: CheckSessionsResult | undefined,
  groupKeyOf: (finding: Finding) => string | undefined = () => undefined,
): R {
  if (result === undefined) return report;
  const thresholds: Record<string, number | string | boolean> = { ...report.thresholds };
  for (const [name, value] of Object.entries(result.thresholds)) thresholds[`session.${name}`] = value;
  if (!result.ran) return { ...report, thresholds, warnings: [...report.warnings, ...result.warnings] };
  const explained = new Set(result.explainedGroupKeys);
  const finding = result.finding;
  const others = finding === null ? report.findings : report.findings.filter((f) => !isSameGroup(f, finding, explained, groupKeyOf));
  return {
    ...report,
    verdict: finding !== null ? 'leak' : report.verdict,
    reason: finding !== null ? null : report.reason,
    findings: finding !== null ? [finding, ...others] : others,
    warnings: [...report.warnings, ...result.warnings],
    thresholds,
  };
}

function isSameGroup(f: Finding, session: Finding, explainedKeys: ReadonlySet<string>, groupKeyOf: (finding: Finding) => string | undefined): boolean {
  const key = groupKeyOf(f);
  if (key !== undefined) return explainedKeys.has(key);
  // Findings carry the readable group label, not the key; a session finding lists its related groups.
  const related = (session.evidence['relatedGroups'] as readonly { group: string }[] | undefined) ?? [];
  return f.group === session.group || related.some((r) => r.group === f.group);
}

/** The report's frame shape, without the display-only `library` flag. */
function toSourceSite(frame: SourceSite & { library?: boolean }): SourceSite {
  return { functionName: frame.functionName, file: frame.file, line: frame.line, column: frame.column };
}

/** The first frame inside a package (node_modules): the library function that made the object. */
function firstLibraryFrame(stack: readonly SourceSite[]): SourceSite | null {
  const frame = stack.find((f) => /[/\\]node_modules[/\\]/.test(f.file));
  return frame === undefined ? null : toSourceSite(frame);
}

/** Install sites found in the server's own files. */
interface SourceSearch {
  readonly entryFile: string | null;
  readonly filesRead: number;
  readonly importedPackages: string[];
  readonly sites: (SessionInstallMatch & { file: string })[];
}

const sourceExtensions = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx'];
const maxFilesSearched = 60;

/**
 * Reads the server's entry file (the first argument of the command that is a source file, else `main` of
 * package.json in the working directory) and the files it imports by relative path, breadth first, up to
 * `maxFilesSearched`, and searches each for session middleware installs. Unreadable files are skipped.
 */
async function searchServerSource(command: readonly string[], cwd: string): Promise<SourceSearch> {
  const entryFile = await findEntryFile(command, cwd);
  const result: SourceSearch = { entryFile, filesRead: 0, importedPackages: [], sites: [] };
  if (entryFile === null) return result;
  const queue = [entryFile];
  const seen = new Set(queue);
  while (queue.length > 0 && result.filesRead < maxFilesSearched) {
    const file = queue.shift()!;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    (result as { filesRead: number }).filesRead++;
    const found = findSessionInstallSites(text);
    for (const pkg of found.importedPackages) if (!result.importedPackages.includes(pkg)) result.importedPackages.push(pkg);
    for (const match of found.matches) result.sites.push({ ...match, file });
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = await resolveRelative(dirname(file), m[1]!);
      if (target !== null && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return result;
}

async function findEntryFile(command: readonly string[], cwd: string): Promise<string | null> {
  for (const arg of command.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (!sourceExtensions.includes(extname(arg))) continue;
    const path = resolve(cwd, arg);
    if (await isFile(path)) return path;
  }
  try {
    const pkg = JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8')) as { main?: unknown };
    const main = typeof pkg.main === 'string' ? resolve(cwd, pkg.main) : join(cwd, 'index.js');
    return (await isFile(main)) ? main : null;
  } catch {
    return null;
  }
}

async function resolveRelative(fromDir: string, specifier: string): Promise<string | null> {
  const base = resolve(fromDir, specifier);
  // TypeScript sources import '../x.js' for './x.ts'
  const candidates = [base, ...sourceExtensions.map((e) => base.replace(/\.(m|c)?js$/, '') + e), ...sourceExtensions.map((e) => join(base, `index${e}`))];
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  return null;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** The site whose package matches the recognised framework, else the first one found. */
function pickInstallSite(sites: SourceSearch['sites'], framework: string): SessionInstallSite | null {
  const site = sites.find((s) => s.packageName === framework) ?? sites.find((s) => s.packageName !== null) ?? sites[0];
  if (site === undefined) return null;
  return { file: site.file, line: site.line, column: site.column, packageName: site.packageName, foundBy: 'static-search' };
}

/** Where each library stores a new session: the frame the finding names next to the install line. */
const libraryAnchors: Readonly<Record<string, readonly { file: string; pattern: RegExp; functionName: string; when?: RegExp }[]>> = {
  'express-session': [
    { file: 'session/memory.js', pattern: /MemoryStore\.prototype\.set\s*=/, functionName: 'MemoryStore.set', when: /MemoryStore/ },
    { file: 'session/session.js', pattern: /sessionStore\.set\(/, functionName: 'Session.save' },
  ],
  'koa-session': [{ file: 'context.js', pattern: /this\.store\.set\(/, functionName: 'ContextSession.save' }],
};

/**
 * Resolves the library the way the server does (from its entry file) and finds the line that stores a
 * session, e.g. `MemoryStore.set (…/express-session/session/memory.js:119)`. Null when not installed or
 * not recognised.
 */
async function findLibraryFrame(framework: string, retainerPath: readonly string[], entryFile: string): Promise<SourceSite | null> {
  const anchors = libraryAnchors[framework];
  if (anchors === undefined) return null;
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(entryFile).resolve(framework));
  } catch {
    return null;
  }
  const pathText = retainerPath.join(' ');
  for (const anchor of anchors) {
    if (anchor.when !== undefined && !anchor.when.test(pathText)) continue;
    const file = join(packageDir, anchor.file);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    const lines = text.split('\n');
    const index = lines.findIndex((l) => anchor.pattern.test(l));
    if (index !== -1) return { functionName: anchor.functionName, file, line: index + 1, column: 1 };
  }
  return null;
}

/** A `file:line[:column]` location written in a retainer path step (closures carry one), in node_modules. */
function locationInPath(retainerPath: readonly string[]): SourceSite | null {
  for (const step of retainerPath) {
    const m = /([^\s()@]+[/\\]node_modules[/\\][^\s():]+\.(?:m?js|cjs)):(\d+)(?::(\d+))?/.exec(step);
    if (m !== null) return { functionName: step.split(/[\s(@]/)[0] ?? '', file: m[1]!, line: Number(m[2]), column: Number(m[3] ?? 1) };
  }
  return null;
}
