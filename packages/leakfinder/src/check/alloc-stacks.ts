/**
 * The creation-site step of `check` (issue #5), kept apart from the measuring: how the server is launched for
 * each `--alloc-stacks` mode, when the sampling profiler runs, and how the findings get `creationSite`,
 * `creationStack` and `creationSites` in the user's source (narrowed to the allocating line, mapped through
 * source maps, library frames marked).
 */
import { resolveCreationSites, type StackSource } from '../sources/creation-sites.js';
import type { Finding, SourceSite } from '../detect/finding.js';
import { growingSampledStacks, type SamplingProfile } from '../detect/sampling-growth.js';
import { usageError } from '../errors.js';
import { readSamplingProfile, startSamplingHeapProfiler, stopSamplingHeapProfiler } from '../inspector/allocation-tracking.js';
import { readScriptSources } from '../inspector/script-sources.js';
import type { InspectorSession } from '../inspector/session.js';
import type { AllocationStack } from '../snapshot/allocation-traces.js';
import { SourceMapResolver } from '../sources/source-maps.js';
import { withSiteEvidence } from '../sources/site-evidence.js';
import { runTracedRerun, withTrackHeapObjects, type TracedRerun, type TracedRerunContext } from './traced-rerun.js';

/**
 * How `check` records where objects are created:
 * - `rerun` (default): the measured run has no profiler; when groups grow, a short second run of the server
 *   under `--track-heap-objects` gives every object of those groups its exact allocation stack.
 * - `sampling`: V8's sampling heap profiler over the measured requests (one sample per ~1 KiB allocated);
 *   sites whose live bytes grew, joined to the leaking class through the source (a guess: "probably").
 * - `tracking`: every allocation's stack, from process start (`--track-heap-objects`); exact per object.
 * - `off`: no stacks.
 */
export type AllocStacksMode = 'rerun' | 'sampling' | 'tracking' | 'off';

/** The modes, for flag validation and help. */
export const allocStacksModes: readonly AllocStacksMode[] = ['rerun', 'sampling', 'tracking', 'off'];

/**
 * Chosen by measurement (docs/creation-sites.md, issue #12): on the labelled set of leaks in real packages
 * the exact stacks of the rerun name the right line where sampling named it for 2 of 15, at about the cost of
 * `tracking` spent only on a few hundred requests.
 */
export const defaultAllocStacksMode: AllocStacksMode = 'rerun';

/** One sample per this many allocated bytes on average: small enough for leaks of ~100 bytes per request. */
const kSamplingIntervalBytes = 1024;

/** Validates `--alloc-stacks`. */
export function resolveAllocStacksMode(value: string | undefined): AllocStacksMode {
  if (value === undefined) return defaultAllocStacksMode;
  if ((allocStacksModes as readonly string[]).includes(value)) return value as AllocStacksMode;
  throw usageError(`\`--alloc-stacks\` must be one of ${allocStacksModes.join(', ')}; got ${JSON.stringify(value)}.`);
}

/**
 * The environment to launch the server with. `tracking` adds `--track-heap-objects` to NODE_OPTIONS rather
 * than starting the tracker over CDP: CDP's startTrackingHeapObjects also starts a 50 ms heap-stats timer
 * that gives every live object an id, and V8 updates an object's trace on a GC move only while it has no id
 * (HeapProfiler::ObjectMoveEvent), so over CDP ~95% of long-lived objects lose or swap their stacks
 * (measured: 8 of 500 leaked objects kept one).
 */
export function allocStacksEnv(mode: AllocStacksMode, env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv | undefined {
  if (mode !== 'tracking') return env;
  return withTrackHeapObjects(env);
}

/** Starts what the mode needs at the start of the measured window (after the baseline checkpoint). */
export async function startAllocStacksWindow(mode: AllocStacksMode, session: InspectorSession, signal?: AbortSignal): Promise<void> {
  if (mode === 'sampling') await startSamplingHeapProfiler(session, { samplingIntervalBytes: kSamplingIntervalBytes, signal });
}

/** Raw creation stacks of a finding's group, as the snapshot engine gave them (tracking mode). */
export type RawStacksByKey = ReadonlyMap<string, readonly { readonly frames: readonly SourceSite[]; readonly count: number }[]>;

/** What {@link addCreationSites} needs besides the findings. */
export interface CreationSitesContext {
  readonly mode: AllocStacksMode;
  readonly session: InspectorSession;
  readonly rawStacks: RawStacksByKey;
  readonly groupKeyOf: (finding: Finding) => string | undefined;
  /** A sampling profile already read (and the profiler stopped) by the caller; else it is read here. */
  readonly sampledProfile?: SamplingProfile;
  readonly signal?: AbortSignal;
  /**
   * How much a sampled stack joined to an `Object`/`Array` group through a literal is worth. `weak` (check):
   * every server handler makes literals (`res.json({ ok })`), so such a site is dropped rather than shown.
   * `likely` (default; assert): the function under test is small and its literal is the evidence.
   */
  readonly literalJoins?: 'weak' | 'likely';
  /**
   * What the user can do when sampled stacks name no site for a class, said at the end of that warning.
   * Default: check's flag; watch and assert have no such flag, so they say what works for them.
   */
  readonly exactStacksHint?: string;
  /** How to start the server again for `rerun` (without it, `rerun` names no sites). */
  readonly rerun?: TracedRerunContext;
}

/**
 * Fills `creationSite`, `creationStack` and `creationSites` of each finding, reading the scripts' code and
 * source maps from the live server. Never throws for missing data: problems become warnings and the finding
 * keeps what it had. `groupKeyOf` maps a finding to the group key of its raw stacks (tracking mode).
 */
export async function addCreationSites(
  findings: readonly Finding[],
  context: CreationSitesContext,
): Promise<{ findings: Finding[]; warnings: string[] }> {
  if (context.mode === 'off' || findings.length === 0) return { findings: [...findings], warnings: [] };
  if (context.mode !== 'rerun') return addSitesFromStacks(findings, context);
  if (context.rerun === undefined) return { findings: [...findings], warnings: [] };
  const keys = [...new Set(findings.map(context.groupKeyOf).filter((k): k is string => k !== undefined))];
  let rerun: TracedRerun;
  try {
    rerun = await runTracedRerun(keys, context.rerun, context.signal);
  } catch (error) {
    if (context.signal?.aborted) throw error;
    return {
      findings: [...findings],
      warnings: [`creation sites: the second run with allocation tracking failed (${(error as Error).message}); no creation sites. \`--alloc-stacks tracking\` traces the measured run itself.`],
    };
  }
  context.rerun.onProgress?.(`creation sites: second run of ${rerun.requests} requests took ${(rerun.durationMs / 1000).toFixed(1)} s`);
  try {
    const found = await addSitesFromStacks(findings, { ...context, mode: 'tracking', session: rerun.server.session, rawStacks: rerun.rawStacks });
    const missing = found.findings.filter((f) => f.creationSite === null).length;
    const missed = keys.filter((k) => (rerun.rawStacks.get(k) ?? []).length === 0).length;
    if (missed > 0 && missing > 0) {
      found.warnings.push(
        `creation sites: ${missed} of ${keys.length} growing group(s) had no objects in the ${rerun.requests}-request second run; ` +
          'they have no creation site (`--alloc-stacks tracking` traces the measured run itself).',
      );
    }
    return { findings: found.findings.map((f) => withSiteEvidence(f, 'allocation-stack')), warnings: found.warnings };
  } finally {
    await rerun.close().catch(() => undefined);
  }
}

/** `addCreationSites` for the modes whose stacks are at hand: sampling (the live session) or tracking (raw). */
async function addSitesFromStacks(
  findings: readonly Finding[],
  context: Omit<CreationSitesContext, 'rerun'>,
): Promise<{ findings: Finding[]; warnings: string[] }> {
  const warnings: string[] = [];
  let sampled: AllocationStack[] = [];
  if (context.mode === 'sampling') {
    try {
      if (context.sampledProfile !== undefined) {
        sampled = growingSampledStacks(null, context.sampledProfile);
      } else {
        // The last checkpoint collected garbage just before, so the profile holds live samples only.
        sampled = growingSampledStacks(null, await readSamplingProfile(context.session, { signal: context.signal }));
        await stopSamplingHeapProfiler(context.session, { signal: context.signal }).catch(() => undefined);
      }
    } catch (error) {
      warnings.push(`creation sites: the sampling heap profile could not be read (${(error as Error).message}); no creation sites.`);
      return { findings: [...findings], warnings };
    }
  }
  const stacksOf = (finding: Finding): readonly AllocationStack[] => {
    if (context.mode === 'sampling') return sampled;
    const key = context.groupKeyOf(finding);
    const raw = key === undefined ? undefined : context.rawStacks.get(key);
    // the engine's frames lost their script ids in the report model: scripts are found by URL instead
    return (raw ?? []).map((st) => ({
      count: st.count,
      frames: st.frames.map((f) => ({ functionName: f.functionName, scriptName: f.file, scriptId: 0, line: f.line, column: f.column })),
    }));
  };
  const urls = new Set<string>();
  const ids = new Set<number>();
  for (const finding of findings) {
    for (const stack of stacksOf(finding)) {
      for (const frame of stack.frames) {
        if (frame.scriptId > 0) ids.add(frame.scriptId);
        else urls.add(frame.scriptName);
      }
    }
  }
  let scripts: Awaited<ReturnType<typeof readScriptSources>> = new Map();
  try {
    scripts = await readScriptSources(context.session, { scriptIds: ids, urls }, { signal: context.signal });
  } catch (error) {
    if (context.signal?.aborted) throw error;
    warnings.push(`creation sites: the server's scripts could not be read (${(error as Error).message}); positions are of the files on disk.`);
  }
  const resolver = new SourceMapResolver({ scripts });
  const source: StackSource = context.mode === 'sampling' ? 'sampling' : 'tracking';
  const unjoined: string[] = [];
  let withStacks = 0;
  const out = findings.map((finding) => {
    const stacks = stacksOf(finding);
    if (stacks.length > 0) withStacks++;
    // V8's internal groups (`(string)`, `(object elements)`, `system / Context`) are made by no `new` in
    // the source, so sampled sites cannot be joined to them; they keep what they had, without a warning.
    const joinName = joinNameOf(finding);
    if (stacks.length === 0 || (context.mode === 'sampling' && joinName === null)) return finding;
    const sites = resolveCreationSites(stacks, joinName ?? finding.className, resolver, source);
    if (context.mode === 'sampling' && sites.creationSite === null) unjoined.push(finding.className);
    else for (const w of sites.warnings) warnings.push(`creation sites: ${w}`);
    const withSites = { ...finding, creationSite: sites.creationSite, creationStack: sites.creationStack, creationSites: sites.creationSites };
    return withSiteEvidence(withSites, context.mode === 'sampling' ? 'sampled-stack' : 'allocation-stack', joinName ?? finding.className, context.literalJoins ?? 'likely', sites.lineIsGuess);
  });
  if (unjoined.length > 0) {
    const names = [...new Set(unjoined)];
    const shown = names.slice(0, 5).map((c) => `\`${c}\``).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
    warnings.push(
      `creation sites: no growing allocation site in your code creates ${shown} by name ` +
        `(made inside libraries or through a factory); ${context.exactStacksHint ?? 'the default `--alloc-stacks rerun` records every object\'s stack'}.`,
    );
  }
  if (context.mode === 'tracking' && withStacks === 0) {
    warnings.push('creation sites: the last snapshot has no usable allocation traces (missing or malformed trace sections); no creation sites.');
  }
  for (const w of resolver.warnings) warnings.push(`creation sites: ${w}`);
  return { findings: out, warnings: [...new Set(warnings)] };
}

/**
 * The name the source creates a finding's objects by: the class name, or for a `(closure)` group the
 * function's own name from the end of its retainer path (`onData()` → `onData`); null when there is none.
 */
function joinNameOf(finding: Finding): string | null {
  if (isJoinableClassName(finding.className)) return finding.className;
  if (finding.className === '(closure)' || finding.className === 'closure') {
    const last = finding.retainerPath.at(-1) ?? '';
    const name = /^([A-Za-z_$][\w$]*)\(\)/.exec(last)?.[1];
    if (name !== undefined) return name;
  }
  return null;
}

/** Class names that the source can create by name or literal: `Order`, `Object`, `Array`, a closure's name. */
function isJoinableClassName(className: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(className);
}
