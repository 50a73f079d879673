/**
 * The report of a watch: the `check` report schema with `command: "watch"`, `per`, and a `watch` section
 * (mode, what it cost the target, current candidates). Verdicts use check's group rule in snapshot mode and
 * the site rule (`findGrowingSites`) in sampling mode; a final snapshot, when it fits, adds holders and paths.
 */
import { foldFindings, type Finding } from '../detect/finding.js';
import { refineFindings, refineLimits } from '../detect/refine-kind.js';
import { isLibraryFrame } from '../detect/creation-site.js';
import { unexplainedHeapGrowth } from '../detect/heap-growth.js';
import { findGrowingSites, type GrowingSite } from '../detect/site-growth.js';
import { leastSquares, type GroupSample } from '../detect/series.js';
import { readScriptSources } from '../inspector/script-sources.js';
import type { CheckpointRow, CheckReport, Verdict, WatchCandidate } from '../report/model.js';
import { takeCheckpoint } from '../runner/checkpoints.js';
import { resolveCreationSites } from '../sources/creation-sites.js';
import { SourceMapResolver } from '../sources/source-maps.js';
import { tool } from '../version.js';
import { addCreationSites } from '../check/alloc-stacks.js';
import { assessWindow, describeBorderline } from '../check/assess-window.js';
import { adviceFor, toGrowthFinding, withDeclarationLine } from '../check/growth-finding.js';
import { toCheckpointRow } from '../check/checkpoint-row.js';
import { explainSnapshotGroups, summarizeSnapshot } from '../check/snapshot-engine.js';
import type { ResolvedWatchOptions } from './watch-options.js';
import { snapshotHeadroom, type WatchState } from './watch.js';

/** Groups of the final snapshot tried against the growing sites, largest count first. */
const kJoinGroups = 300;

/**
 * Builds the report. `live` is the page's view at a checkpoint: candidates and series only, no explanation
 * (that reads the last snapshot) and no creation sites (that stops the profiler).
 */
export async function buildWatchReport(
  options: ResolvedWatchOptions,
  state: WatchState,
  progress: (m: string) => void,
  { live = false }: { live?: boolean } = {},
): Promise<CheckReport> {
  const analysisStarted = performance.now();
  const unit = options.per === 'time' ? 'seconds' : 'requests';
  let verdict: Verdict = 'inconclusive';
  let reason: string | null = null;
  let findings: Finding[] = [];
  const warnings = [...state.warnings];
  const snapshotPoints = state.checkpoints.length;
  const sitePoints = state.sitePoints.length;
  const need = options.limits.minCheckpoints;
  const useSnapshots = snapshotPoints >= need && state.mode === 'snapshot';
  if (live) {
    reason = 'watching';
  } else if (state.broken !== undefined) {
    reason = `${state.broken}; ${Math.max(snapshotPoints, sitePoints)} checkpoint(s) were measured${snapshotPoints > 0 ? ` and the snapshots kept in ${state.directory}` : ''}`;
  } else if (useSnapshots) {
    const assessment = assessWindow(await snapshotWindow(state), options.limits, options.ignore);
    if (assessment.growing.length > 0) {
      verdict = 'leak';
      const last = state.checkpoints.at(-1)!;
      progress('explaining what grows (retainer paths, holders)');
      const explanations = await explainSnapshotGroups(last.snapshotPath, assessment.growing.map((g) => g.series.key), { showValues: options.showValues });
      const unfolded = assessment.growing.map((g) => toGrowthFinding(g, explanations.find((e) => e.key === g.series.key), assessment.windowStart, snapshotPoints));
      const keyOf = new Map(unfolded.map((f, i) => [f, assessment.growing[i]!.series.key]));
      if (state.target !== undefined) {
        const withSites = await addCreationSites(unfolded, { mode: 'sampling', session: state.target.session, rawStacks: new Map(), groupKeyOf: (f) => keyOf.get(f),
          exactStacksHint: 'for every object\'s stack, run the server under `leakfinder check` (its default `--alloc-stacks rerun`)',
        });
        state.samplingStarted = false; // addCreationSites stopped it
        warnings.push(...withSites.warnings);
        findings = foldFindings(withSites.findings);
      } else findings = foldFindings(unfolded);
    } else if (assessment.borderline.length > 0) {
      reason = `growth is not clear yet: ${describeBorderline(assessment)}; watch longer (\`--duration\`, \`--requests\`)`;
    } else verdict = 'clean';
  } else if (sitePoints >= need) {
    const growing = findGrowingSites(state.sitePoints, options.limits, isUserSite);
    const heap = unexplainedHeapGrowth(state.heapPoints, growing, options.limits, options.per);
    if (growing.length > 0 || heap !== null) {
      verdict = 'leak';
      findings = growing.length > 0 ? await sitesToFindings(options, state, growing, warnings, progress) : [];
      if (heap !== null) findings.push(unexplainedHeapFinding(heap, options.per));
    } else verdict = 'clean';
  } else {
    reason = `only ${Math.max(snapshotPoints, sitePoints)} checkpoint(s) were measured and a verdict needs ${need}: watch longer, or checkpoint more often (\`--every\`)`;
  }
  const rows: CheckpointRow[] = state.checkpoints.map((c) => toCheckpointRow(c, c.x));
  // The most precise kind of each snapshot finding (#16), as check does. The target's own output is not ours
  // to read, so no MaxListenersExceededWarning lines; sampling findings have no retainer path to refine by.
  if (useSnapshots) findings = refineFindings(findings, { checkpoints: rows, serverWarnings: [] });
  const heapFit = rows.length >= 3 ? leastSquares(rows.map((r) => r.requests), rows.map((r) => r.heapUsedBytes)) : undefined;
  const files = state.checkpoints.map((c) => c.snapshotPath);
  const kept = !live && (state.broken !== undefined || options.keepSnapshotsDir !== undefined) && files.length > 0;
  const target = state.target;
  return {
    schemaVersion: 1,
    tool,
    command: 'watch',
    unit: options.per === 'time' ? 'second' : 'request',
    verdict,
    reason,
    requests: { warmup: 0, measured: state.requests, byStatus: { '2xx': state.byStatus[2] ?? 0, '3xx': state.byStatus[3] ?? 0, '4xx': state.byStatus[4] ?? 0, '5xx': state.byStatus[5] ?? 0, failed: 0 } },
    thresholds: {
      mode: options.mode,
      per: options.per,
      everyRequests: options.everyRequests,
      everySeconds: options.everyMs / 1000,
      samplingIntervalBytes: state.samplingIntervalBytes,
      minGapSeconds: options.minGapMs === 'auto' ? 'auto' : options.minGapMs / 1000,
      windowCheckpoints: options.limits.minCheckpoints,
      minCountPerRequest: options.limits.minCountPerRequest,
      minSlopeSigmas: options.limits.minSlopeSigmas,
      minRisingShare: options.limits.minRisingShare,
      minLastIntervalShare: options.limits.minLastIntervalShare,
      ignore: options.ignore.join(', '),
      xAxis: unit,
      ...(useSnapshots ? refineLimits : {}), // the refined kinds' thresholds, when they were applied
    },
    checkpoints: rows,
    findings,
    warnings: [...new Set(warnings)],
    server: { command: [], baseUrl: null, pid: target?.pid ?? options.pid ?? null },
    timing: {
      wallMs: performance.now() - state.startedAt,
      snapshotOverheadMs: state.checkpoints.reduce((sum, c) => sum + c.durationMs, 0),
      analysisMs: performance.now() - analysisStarted,
      loadMs: 0,
    },
    snapshots: { directory: state.directory, kept, files: kept ? files : [] },
    heapUsedBytesPerRequest: heapFit ? heapFit.slope : null,
    watch: {
      mode: options.mode,
      endedInMode: state.mode,
      target: {
        pid: target?.pid ?? options.pid ?? 0,
        nodeVersion: target?.nodeVersion ?? '',
        inspector: target?.webSocketUrl ?? options.inspect ?? '',
        openedInspector: target?.openedInspector ?? false,
      },
      endedBy: live ? 'watching' : state.endedBy,
      skippedSnapshots: state.skippedSnapshots,
      longestPauseMs: state.longestPauseMs,
      candidates: currentCandidates(options, state),
      restored: state.restored,
    },
  };
}

/** What rises now, for the progress lines and the live page: snapshot groups and sampled sites. */
export function currentCandidates(options: ResolvedWatchOptions, state: WatchState): WatchCandidate[] {
  const out: WatchCandidate[] = findGrowingSites(state.sitePoints, { minCheckpoints: 3 }, isUserSite)
    .slice(0, 10)
    .map((s) => ({ name: siteName(s.site), source: 'sampling', countPerRequest: null, bytesPerRequest: s.fit.slope, fitR2: s.fit.r2, requests: s.requests, values: s.bytes }));
  return out;
}

/** The live heap rose and no sampled site explains it (heap-growth.ts): a leak the profiler could not see. */
function unexplainedHeapFinding(heap: GrowingSite, per: 'request' | 'time'): Finding {
  const unit = per === 'time' ? 'second' : 'request';
  return {
    kind: 'per-request-growth',
    className: '(live heap)',
    group: `the live heap after each checkpoint's full GC, not explained by the sampled allocation sites`,
    countPerRequest: 0,
    bytesPerRequest: heap.fit.slope,
    fitR2: heap.fit.r2,
    retainerPath: [],
    holder: null,
    creationSite: null,
    creationStack: [],
    creationSites: [],
    evidence: { source: 'heap-after-gc', requests: heap.requests, liveHeapBytes: heap.bytes, risingIntervals: heap.risingIntervals, intervals: heap.intervals, slopeStdError: heap.fit.slopeStdError },
    advice:
      `The live heap grows ${Math.round(heap.fit.slope)} bytes per ${unit}, but V8's sampling profiler saw no site that explains it: ` +
      'it does not sample allocations that TurboFan inlined into hot code. Run `leakfinder watch --mode snapshot` (or `check`) for the class, holder and creation line.',
  };
}

/** Classes that object and array literals make: nearly every function creates some. */
function isLiteralClass(className: string): boolean {
  return className === 'Object' || className === 'Array';
}

/** A site whose allocating frame is the user's code (not `node:` internals, not node_modules). */
function isUserSite(site: string): boolean {
  const top = site.split(' < ')[0] ?? '';
  const file = /^.* (.*):\d+:\d+$/.exec(top)?.[1] ?? '';
  return !isLibraryFrame({ file });
}

async function snapshotWindow(state: WatchState): Promise<{ requests: number; groups: GroupSample[] }[]> {
  const summaries = await Promise.all(state.summaries);
  return state.checkpoints.map((c, i) => ({ requests: c.x, groups: summaries[i]! }));
}

/** `handle server.js:12` from a site key's top frame. */
function siteName(site: string): string {
  const top = site.split(' < ')[0] ?? site;
  const m = /^(.*) (.*):(\d+):\d+$/.exec(top);
  if (!m) return top;
  return `${m[1]} (${m[2]!.replace(/^file:\/\//, '').split('/').slice(-2).join('/')}:${m[3]})`;
}

/**
 * Sampling mode's findings: one per growing site; when a final snapshot fits, the site is joined to the
 * snapshot group whose class its code creates (`new Order(` in the allocating function), which gives the
 * holder and retainer path.
 */
async function sitesToFindings(
  options: ResolvedWatchOptions,
  state: WatchState,
  growing: readonly GrowingSite[],
  warnings: string[],
  progress: (m: string) => void,
): Promise<Finding[]> {
  const target = state.target;
  const stacks = growing.map((g) => state.lastSites?.stacks.get(g.site)).filter((s) => s !== undefined);
  let resolver = new SourceMapResolver();
  if (target !== undefined) {
    const ids = new Set(stacks.flatMap((s) => s.frames.map((f) => f.scriptId)));
    resolver = new SourceMapResolver({ scripts: await readScriptSources(target.session, ids).catch(() => new Map()) });
  }
  let groups: GroupSample[] = [];
  let snapshotPath: string | undefined;
  if (target !== undefined) {
    const decision = await snapshotHeadroom(state).catch(() => undefined);
    if (decision === undefined || !decision.safe) {
      const line = `final snapshot not taken: ${decision?.line ?? 'the target\'s memory could not be read'}; findings name allocation sites without holders`;
      state.skippedSnapshots.push(line);
      progress(line);
    } else {
      progress('one final snapshot for holders and retainer paths');
      const taken = await takeCheckpoint(target.session, { index: state.checkpoints.length, requestsSent: state.requests, directory: state.directory, idleMs: 0 });
      state.longestPauseMs = Math.max(state.longestPauseMs, taken.durationMs);
      snapshotPath = taken.snapshotPath;
      groups = [...(await summarizeSnapshot(taken.snapshotPath))].sort((a, b) => b.count - a.count).slice(0, kJoinGroups);
    }
  }
  const joined = new Map<GrowingSite, { group: GroupSample; site: ReturnType<typeof resolveCreationSites> }>();
  for (const g of growing) {
    const stack = state.lastSites?.stacks.get(g.site);
    if (stack === undefined) continue;
    // Every group whose class this site's code creates; a named class beats a literal (`{}`, `[]`), which
    // nearly every handler also makes; among equals, the group with the most objects.
    const matches: { group: GroupSample; site: ReturnType<typeof resolveCreationSites> }[] = [];
    for (const group of groups) {
      if (!/^[A-Za-z_$][\w$]*$/.test(group.className) || options.ignore.includes(group.className)) continue;
      if (matches.some((m) => m.group.className === group.className)) continue;
      // Samples inside a constructor (`this`'s properties) belong to its class: the creation site is the caller's `new`.
      const frames = stack.frames[0]?.functionName === group.className && stack.frames.length > 1 ? stack.frames.slice(1) : stack.frames;
      const sites = resolveCreationSites([{ frames, count: 1 }], group.className, resolver, 'sampling');
      if (sites.creationSite !== null) matches.push({ group, site: sites });
    }
    matches.sort((a, b) => Number(isLiteralClass(a.group.className)) - Number(isLiteralClass(b.group.className)) || b.group.count - a.group.count);
    const best = matches[0];
    if (best !== undefined) joined.set(g, best);
  }
  const explanations =
    snapshotPath === undefined || joined.size === 0
      ? []
      : await explainSnapshotGroups(snapshotPath, [...new Set([...joined.values()].map((j) => j.group.key))], { showValues: options.showValues });
  const findings: Finding[] = [];
  const seenGroups = new Set<string>();
  for (const g of growing) {
    const j = joined.get(g);
    // Two growing sites of one group (a constructor and its caller): one finding, the larger slope first.
    if (j !== undefined && seenGroups.has(j.group.key)) continue;
    if (j !== undefined) seenGroups.add(j.group.key);
    const stack = state.lastSites?.stacks.get(g.site);
    const top = stack?.frames[0];
    const rawSite = top === undefined ? null : { functionName: top.functionName, file: top.scriptName, line: top.line, column: top.column };
    const evidence = { source: 'sampling', requests: g.requests, sampledLiveBytes: g.bytes, risingIntervals: g.risingIntervals, intervals: g.intervals, slopeStdError: g.fit.slopeStdError };
    if (j === undefined) {
      if (options.ignore.length > 0 && stack === undefined) continue;
      findings.push({
        kind: 'per-request-growth',
        className: '(allocation site)',
        group: `live memory allocated at ${siteName(g.site)}`,
        countPerRequest: 0,
        bytesPerRequest: g.fit.slope,
        fitR2: g.fit.r2,
        retainerPath: [],
        holder: null,
        creationSite: rawSite,
        creationStack: (stack?.frames ?? []).map((f) => ({ functionName: f.functionName, file: f.scriptName, line: f.line, column: f.column })),
        creationSites: rawSite === null ? [] : [{ site: rawSite, share: 1 }],
        evidence,
        advice: 'Objects allocated here stay alive after each request: find who keeps them (run with `--mode snapshot`, or where the final snapshot fits, for the holder).',
      });
      continue;
    }
    const explanation = explanations.find((e) => e.key === j.group.key);
    const objectBytes = j.group.count > 0 ? j.group.selfBytes / j.group.count : 0;
    findings.push({
      kind: 'per-request-growth',
      className: j.group.className,
      group: j.group.signature === '' ? j.group.className : `${j.group.className} via ${j.group.signature}`,
      // The profile samples bytes, not objects: the count slope is the byte slope over the group's mean object size.
      countPerRequest: objectBytes > 0 ? g.fit.slope / objectBytes : 0,
      bytesPerRequest: g.fit.slope,
      fitR2: g.fit.r2,
      retainerPath: explanation?.retainerPath ?? [],
      holder: withDeclarationLine(explanation?.holder ?? null),
      creationSite: j.site.creationSite,
      creationStack: j.site.creationStack,
      creationSites: j.site.creationSites,
      evidence: { ...evidence, finalCount: j.group.count, countEstimatedFromBytes: true },
      advice: adviceFor(j.group.className, j.group.signature, explanation?.holder ?? null),
    });
  }
  if (findings.some((f) => f.className === '(allocation site)') && snapshotPath !== undefined) {
    warnings.push('some growing allocation sites could not be joined to a class of the final snapshot (made inside libraries or through a factory).');
  }
  return findings;
}
