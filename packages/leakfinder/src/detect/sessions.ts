/**
 * The session-per-request detector, the seed's "leaking sessions": code that creates a session whenever a
 * request has none makes every cookie-less client (load testers, crawlers, health checks) add one session to
 * a store that never forgets. Evidence comes in two kinds, both needed: a fresh `Set-Cookie` on (nearly) every
 * cookie-less response and none once the client replays a cookie, and heap growth that follows the
 * cookie-less requests only. Pure: the probe's counts and the group series come in, a Finding goes out.
 */
import type { CreationSite, Finding, FindingHolder, SourceSite } from './finding.js';
import { leastSquares, type GroupSeries } from './series.js';

/** One phase of the probe: whether the client sent no cookie or replayed the first one. */
export type SessionPhaseKind = 'cookie-less' | 'replay';

/** How one cookie name behaved in one phase (counts of responses). */
export interface SessionCookieCounts {
  readonly setCount: number;
  /** Responses that set a value not seen before in the probe. */
  readonly freshCount: number;
  readonly deletedCount: number;
}

/** What one phase of the probe saw (the runner's `CookiePhaseStats`, structurally). */
export interface SessionPhaseCookies {
  readonly phase: SessionPhaseKind;
  readonly requests: number;
  readonly byStatus: { readonly '2xx': number; readonly '3xx': number; readonly '4xx': number; readonly '5xx': number; readonly failed: number };
  readonly responsesWithSetCookie: number;
  readonly cookies: Readonly<Record<string, SessionCookieCounts>>;
  readonly redirectPaths: readonly string[];
  readonly failureReasons: readonly string[];
}

/** The thresholds of the session rule; every one is printed in the report. */
export interface SessionLimits {
  /** A cookie name counts as a session cookie when at least this share of answered cookie-less responses set a fresh value. */
  readonly minFreshShare: number;
  /** ... and with the replayed cookie, at most this share of its cookie-less rate. */
  readonly maxReplayFreshRatio: number;
  /** A group must grow by at least this many objects per fresh cookie in every cookie-less phase. */
  readonly minCountPerSession: number;
  /** In a replay phase it may grow by at most this share of its cookie-less rate (plus `replaySlackCount`). */
  readonly maxReplayGrowthRatio: number;
  /** Absolute slack for replay phases: a few objects of lazy initialisation on the replayed path. */
  readonly replaySlackCount: number;
  /** r² of the live count against cumulative cookie-less requests, over the probe's boundaries. */
  readonly minFitR2: number;
  /** A phase in which more than this share of requests got no response cannot be judged. */
  readonly maxFailedShare: number;
}

/** Defaults chosen by measurement on the session fixtures (see docs/sessions.md). */
export const defaultSessionLimits: SessionLimits = {
  minFreshShare: 0.25,
  maxReplayFreshRatio: 0.1,
  minCountPerSession: 0.5,
  maxReplayGrowthRatio: 0.1,
  replaySlackCount: 3,
  minFitR2: 0.9,
  maxFailedShare: 0.5,
};

/** A group whose growth follows the cookie-less requests only. */
export interface SessionGrowth {
  readonly series: GroupSeries;
  /** Objects per cookie-less request (slope against cumulative cookie-less requests). */
  readonly countPerRequest: number;
  readonly bytesPerRequest: number;
  readonly fitR2: number;
  /** Objects per request during the replay phases (about 0 for a session leak). */
  readonly replayCountPerRequest: number;
  /** Count change in each phase, in probe order. */
  readonly phaseDeltas: readonly number[];
}

/** The session cookie and how it behaved, summed over phases of each kind. */
export interface SessionCookieEvidence {
  readonly name: string;
  /** Other names that behaved the same (a signature cookie like `koa.sess.sig`). */
  readonly companions: readonly string[];
  readonly cookieLess: { readonly answered: number; readonly fresh: number; readonly set: number };
  readonly replay: { readonly answered: number; readonly fresh: number; readonly set: number };
}

/** What {@link assessSessions} decided. */
export interface SessionAssessment {
  /** `leak`: both kinds of evidence; `no-session-leak`: the evidence speaks against one; `undecided`: see warnings. */
  readonly outcome: 'leak' | 'no-session-leak' | 'undecided';
  /** One sentence on why, for verbose output and tests. */
  readonly reason: string;
  readonly cookie: SessionCookieEvidence | null;
  /** Groups that follow the cookie-less phases, largest bytes per request first. */
  readonly growing: readonly SessionGrowth[];
  /** Why the probe could not decide, or what it had to work around; for `Report.warnings`. */
  readonly warnings: readonly string[];
}

/**
 * Decides from the probe's cookie counts and the group series at its boundaries (`series[i].counts` has one
 * point per boundary: before the first phase and after each) whether the server keeps one session per
 * cookie-less request.
 * @example
 * assessSessions(probe.phases, series).outcome; // 'leak' for express-session defaults
 */
export function assessSessions(
  phases: readonly SessionPhaseCookies[],
  series: readonly GroupSeries[],
  limits: SessionLimits = defaultSessionLimits,
): SessionAssessment {
  const warnings: string[] = [];
  const undecided = (reason: string): SessionAssessment => {
    warnings.push(`session check undecided: ${reason}`);
    return { outcome: 'undecided', reason, cookie: null, growing: [], warnings };
  };
  const cookieLessPhases = phases.filter((p) => p.phase === 'cookie-less');
  const replayPhases = phases.filter((p) => p.phase === 'replay');
  if (cookieLessPhases.length === 0 || replayPhases.length === 0) {
    return undecided('the probe needs at least one cookie-less and one replay phase.');
  }
  for (const phase of phases) {
    if (phase.requests > 0 && phase.byStatus.failed > limits.maxFailedShare * phase.requests) {
      const why = phase.failureReasons.length > 0 ? ` (${phase.failureReasons.join(', ')})` : '';
      return undecided(
        `${phase.byStatus.failed} of ${phase.requests} requests of the ${phase.phase} phase got no response${why}, too few to judge.`,
      );
    }
  }
  noteStatuses(phases, warnings);

  const cookie = pickSessionCookie(cookieLessPhases, replayPhases, limits);
  const growing = findSessionGrowth(phases, series, cookie, limits);
  if (cookie.kind === 'none') {
    return { outcome: 'no-session-leak', reason: 'no cookie-less response set a fresh cookie.', cookie: null, growing, warnings };
  }
  if (cookie.kind === 'not-stopped') {
    const names = cookie.names.map((n) => `\`${n}\``).join(', ');
    if (growing.length === 0 && !growsInEveryPhase(series, phases, limits)) {
      // A token per response that the server does not keep (CSRF double-submit, tracking ids): harmless.
      return {
        outcome: 'no-session-leak',
        reason: `${names} got a fresh value on every response, with or without the cookie, and the heap did not grow with it: not a server-side session.`,
        cookie: null,
        growing: [],
        warnings,
      };
    }
    return undecided(
      `the server set a fresh ${names} even when the first one was sent back, so the replay phase cannot separate ` +
        'session growth from other growth (is the cookie signed with a changing key, or limited by Path/Domain?).',
    );
  }
  const evidence = cookie.evidence;
  if (growing.length === 0) {
    return {
      outcome: 'no-session-leak',
      reason: `every cookie-less response set a fresh \`${evidence.name}\`, but no heap group grew with the cookie-less requests: the server does not keep them (or expires them).`,
      cookie: evidence,
      growing,
      warnings,
    };
  }
  return {
    outcome: 'leak',
    reason: `fresh \`${evidence.name}\` per cookie-less response and ${growing.length} heap group(s) growing with them only.`,
    cookie: evidence,
    growing,
    warnings,
  };
}

/**
 * Checked at a boundary while the probe runs: a reason when the phases so far already rule a session leak
 * out (no cookie name fresh on enough cookie-less responses, or no group growing with the fresh cookies in
 * every cookie-less phase so far), so the remaining phases and snapshots can be skipped; else null. Never
 * rules out on phases that lacked responses: the full assessment reports those as undecided.
 * @example
 * ruleOutSessionLeak([csrfPhase], seriesAtTwoBoundaries); // 'fresh `XSRF-TOKEN` … but no heap group grew …'
 */
export function ruleOutSessionLeak(
  phases: readonly SessionPhaseCookies[],
  series: readonly GroupSeries[],
  limits: SessionLimits = defaultSessionLimits,
): string | null {
  const cookieLess = phases.map((p, i) => ({ p, i })).filter(({ p }) => p.phase === 'cookie-less');
  if (cookieLess.length === 0) return null;
  if (phases.some((p) => p.requests > 0 && p.byStatus.failed > limits.maxFailedShare * p.requests)) return null;
  const names = new Set<string>();
  for (const { p } of cookieLess) for (const name of Object.keys(p.cookies)) names.add(name);
  const freshNames = [...names].filter((name) =>
    cookieLess.every(({ p }) => answered(p) > 0 && (p.cookies[name]?.freshCount ?? 0) >= limits.minFreshShare * answered(p)),
  );
  if (freshNames.length === 0) {
    const set = [...names].map((n) => `\`${n}\``).join(', ');
    return `cookie-less responses set ${set || 'cookies'} but not to a new value each time: no session per request.`;
  }
  const grows = series.some(
    (s) =>
      s.counts.length === phases.length + 1 &&
      !isEngineInternal(s.className) &&
      freshNames.some((name) =>
        cookieLess.every(({ p, i }) => s.counts[i + 1]! - s.counts[i]! >= limits.minCountPerSession * (p.cookies[name]?.freshCount ?? 0)),
      ),
  );
  if (grows) return null;
  const list = freshNames.map((n) => `\`${n}\``).join(', ');
  return `cookie-less responses set a fresh ${list}, but no heap group grew with them: the server does not keep them (a CSRF token, a tracking id).`;
}

type CookiePick =
  | { readonly kind: 'none' }
  | { readonly kind: 'not-stopped'; readonly names: readonly string[] }
  | { readonly kind: 'session'; readonly evidence: SessionCookieEvidence };

function answered(phase: SessionPhaseCookies): number {
  return phase.requests - phase.byStatus.failed;
}

function pickSessionCookie(
  cookieLess: readonly SessionPhaseCookies[],
  replay: readonly SessionPhaseCookies[],
  limits: SessionLimits,
): CookiePick {
  const names = new Set<string>();
  for (const phase of cookieLess) for (const name of Object.keys(phase.cookies)) names.add(name);
  const sum = (phases: readonly SessionPhaseCookies[], name: string) => {
    let fresh = 0;
    let set = 0;
    let total = 0;
    for (const phase of phases) {
      total += answered(phase);
      fresh += phase.cookies[name]?.freshCount ?? 0;
      set += phase.cookies[name]?.setCount ?? 0;
    }
    return { answered: total, fresh, set };
  };
  const stopped: { name: string; cookieLess: ReturnType<typeof sum>; replay: ReturnType<typeof sum> }[] = [];
  const notStopped: string[] = [];
  for (const name of names) {
    // Every cookie-less phase on its own must show the fresh cookies, not just their sum.
    const eachPhaseFresh = cookieLess.every(
      (phase) => answered(phase) > 0 && (phase.cookies[name]?.freshCount ?? 0) >= limits.minFreshShare * answered(phase),
    );
    if (!eachPhaseFresh) continue;
    const a = sum(cookieLess, name);
    const b = sum(replay, name);
    const rateA = a.fresh / a.answered;
    const rateB = b.answered > 0 ? b.fresh / b.answered : 0;
    if (rateB <= limits.maxReplayFreshRatio * rateA) stopped.push({ name, cookieLess: a, replay: b });
    else notStopped.push(name);
  }
  if (stopped.length === 0) return notStopped.length > 0 ? { kind: 'not-stopped', names: notStopped } : { kind: 'none' };
  // The session cookie is the one set most often; a signature cookie (`.sig`) ties with its value, so prefer
  // the name without the suffix, then the shorter name.
  stopped.sort(
    (x, y) =>
      y.cookieLess.fresh - x.cookieLess.fresh ||
      Number(isSignatureName(x.name)) - Number(isSignatureName(y.name)) ||
      x.name.length - y.name.length ||
      x.name.localeCompare(y.name),
  );
  const primary = stopped[0]!;
  return {
    kind: 'session',
    evidence: {
      name: primary.name,
      companions: stopped.slice(1).map((s) => s.name),
      cookieLess: primary.cookieLess,
      replay: primary.replay,
    },
  };
}

function isSignatureName(name: string): boolean {
  return /[.-]sig$/i.test(name);
}

/**
 * The groups whose live count follows the cumulative number of fresh session cookies: at least
 * `minCountPerSession` per fresh cookie in every cookie-less phase, (almost) nothing in replay phases, and a
 * good straight-line fit against cumulative cookie-less requests. Without a session cookie the fresh count is
 * taken as every answered cookie-less response, so the caller can still tell "grows without cookies" apart.
 */
function findSessionGrowth(
  phases: readonly SessionPhaseCookies[],
  series: readonly GroupSeries[],
  cookie: CookiePick,
  limits: SessionLimits,
): SessionGrowth[] {
  const points = phases.length + 1;
  const name = cookie.kind === 'session' ? cookie.evidence.name : null;
  const freshPerPhase = phases.map((p) =>
    p.phase === 'cookie-less' ? (name === null ? answered(p) : (p.cookies[name]?.freshCount ?? 0)) : 0,
  );
  const cumulativeCookieLess: number[] = [0];
  for (const phase of phases) {
    cumulativeCookieLess.push(cumulativeCookieLess.at(-1)! + (phase.phase === 'cookie-less' ? phase.requests : 0));
  }
  const growing: SessionGrowth[] = [];
  for (const s of series) {
    if (s.counts.length !== points || isEngineInternal(s.className)) continue;
    const deltas = phases.map((_, i) => s.counts[i + 1]! - s.counts[i]!);
    let ok = true;
    let cookieLessGrowth = 0;
    let cookieLessRequests = 0;
    phases.forEach((phase, i) => {
      if (phase.phase !== 'cookie-less') return;
      if (freshPerPhase[i]! <= 0 || deltas[i]! < limits.minCountPerSession * freshPerPhase[i]!) ok = false;
      cookieLessGrowth += deltas[i]!;
      cookieLessRequests += phase.requests;
    });
    if (!ok || cookieLessRequests === 0) continue;
    const ratePerRequest = cookieLessGrowth / cookieLessRequests;
    let replayGrowth = 0;
    let replayRequests = 0;
    phases.forEach((phase, i) => {
      if (phase.phase !== 'replay') return;
      const allowed = limits.maxReplayGrowthRatio * ratePerRequest * phase.requests + limits.replaySlackCount;
      if (deltas[i]! > allowed) ok = false;
      replayGrowth += deltas[i]!;
      replayRequests += phase.requests;
    });
    if (!ok) continue;
    const fit = leastSquares(cumulativeCookieLess, s.counts);
    if (fit.r2 < limits.minFitR2) continue;
    growing.push({
      series: s,
      countPerRequest: fit.slope,
      bytesPerRequest: leastSquares(cumulativeCookieLess, s.retainedBytes).slope,
      fitR2: fit.r2,
      replayCountPerRequest: replayRequests > 0 ? replayGrowth / replayRequests : 0,
      phaseDeltas: deltas,
    });
  }
  // The session entry itself comes first: an object group before the strings and numbers inside it (a koa
  // session's id string may outweigh its data object); among equals, the most bytes per request.
  growing.sort(
    (a, b) =>
      Number(isPrimitiveClass(a.series.className)) - Number(isPrimitiveClass(b.series.className)) ||
      b.bytesPerRequest - a.bytesPerRequest ||
      b.countPerRequest - a.countPerRequest,
  );
  return growing;
}

function isPrimitiveClass(className: string): boolean {
  return /^\(?((concatenated |sliced |internalized )?string|number|heap number|bigint|symbol)\)?$/.test(className);
}

/**
 * V8's own code and metadata: compiled code, feedback vectors, maps. They grow while new paths get hot (the
 * replay path compiles in the replay phase) and are never a session store.
 */
function isEngineInternal(className: string): boolean {
  return /^(\((compiled code|code|code deopt data|system|hidden|object shape)\)|system \/|code$)/.test(className);
}

/** True when some group grows in every phase, replay included: growth that cookies do not explain. */
function growsInEveryPhase(series: readonly GroupSeries[], phases: readonly SessionPhaseCookies[], limits: SessionLimits): boolean {
  return series.some(
    (s) =>
      s.counts.length === phases.length + 1 &&
      phases.every((p, i) => s.counts[i + 1]! - s.counts[i]! >= limits.minCountPerSession * answered(p) && answered(p) > 0),
  );
}

/** Redirects and errors do not stop the check (their cookies count), but the user should know. */
function noteStatuses(phases: readonly SessionPhaseCookies[], warnings: string[]): void {
  const first = phases.find((p) => p.phase === 'cookie-less');
  if (first === undefined || first.requests === 0) return;
  const redirects = first.byStatus['3xx'];
  if (redirects > first.requests / 2) {
    const to = first.redirectPaths.length > 0 ? ` (to ${first.redirectPaths.join(', ')})` : '';
    warnings.push(
      `session check: ${redirects} of ${first.requests} cookie-less responses were redirects${to}; cookies were counted on ` +
        'the redirects themselves (not followed). Add a `--path` that answers 2xx to probe the page itself.',
    );
  }
  const errors = first.byStatus['4xx'] + first.byStatus['5xx'];
  if (errors > first.requests / 2) {
    warnings.push(
      `session check: ${errors} of ${first.requests} cookie-less responses were errors (4xx/5xx); sessions made on error ` +
        'paths still count, but the probed paths may not be the ones real clients hit.',
    );
  }
}

/** A recognised session library (or hand-written code); decides the advice. */
export type SessionFramework = 'express-session' | 'koa-session' | '@fastify/session' | 'hand-rolled' | 'unknown';

/** Where the middleware that creates sessions is installed, and how that line was found. */
export interface SessionInstallSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The package the installed middleware comes from, when known (`express-session`). */
  readonly packageName: string | null;
  /**
   * `retainer-path`: the closure on the retainer path was created at this line; `static-search`: found by
   * reading the server's source for the session middleware's import and its `.use(...)` call.
   */
  readonly foundBy: 'retainer-path' | 'static-search';
}

/** What the compose layer learned about the primary group, to turn an assessment into a finding. */
export interface SessionFindingContext {
  /** Readable retainer path of the primary group, root first (from the engine). */
  readonly retainerPath: readonly string[];
  readonly holder: FindingHolder | null;
  /** Allocation sites of the primary group when allocation tracking was on (issue #5); else empty. */
  readonly creationSite: SourceSite | null;
  readonly creationStack: readonly SourceSite[];
  readonly creationSites: readonly { readonly site: SourceSite; readonly share: number }[];
  /** The `.use(session(...))` line, when found. */
  readonly installSite: SessionInstallSite | null;
  /** The library function that creates or stores the session, when a library does it. */
  readonly libraryFrame: SourceSite | null;
  /** Packages the server's source imports that are session libraries (from the static search). */
  readonly importedSessionPackages?: readonly string[];
}

const cookieNameFrameworks: Readonly<Record<string, SessionFramework>> = {
  'connect.sid': 'express-session',
  'koa.sess': 'koa-session',
  'koa:sess': 'koa-session',
  sessionId: '@fastify/session',
};

/** Recognises the session library from the install site, the retainer path, the cookie name and the creation site. */
export function recognizeSessionFramework(
  cookieName: string,
  context: Pick<SessionFindingContext, 'retainerPath' | 'installSite' | 'creationSite' | 'importedSessionPackages'>,
): SessionFramework {
  const known = (name: string | null | undefined): SessionFramework | null =>
    name === 'express-session' || name === 'koa-session' || name === '@fastify/session' ? name : null;
  const fromInstall = known(context.installSite?.packageName);
  if (fromInstall !== null) return fromInstall;
  const path = context.retainerPath.join(' ');
  if (/\bMemoryStore\b|express-session/.test(path)) return 'express-session';
  if (/koa-session|ContextSession/.test(path)) return 'koa-session';
  if (/@fastify[/\\]session/.test(path)) return '@fastify/session';
  const byCookie = cookieNameFrameworks[cookieName];
  const imported = context.importedSessionPackages ?? [];
  if (byCookie !== undefined && (imported.length === 0 || imported.includes(byCookie))) return byCookie;
  if (imported.length === 1) return known(imported[0]) ?? 'unknown';
  if (context.creationSite !== null && !/[/\\]node_modules[/\\]/.test(context.creationSite.file)) return 'hand-rolled';
  return imported.length === 0 && byCookie === undefined ? 'hand-rolled' : 'unknown';
}

const adviceByFramework: Readonly<Record<SessionFramework, string>> = {
  'express-session':
    'Pass `saveUninitialized: false` to `session()` so requests that never write to `req.session` (health checks, crawlers, load testers) store nothing, and use a store that expires sessions (a TTL) instead of MemoryStore.',
  '@fastify/session':
    'Register `@fastify/session` with `saveUninitialized: false` so requests that never write to `request.session` store nothing, and use a store that expires sessions (a TTL).',
  'koa-session':
    "Don't write to `ctx.session` on routes that cookie-less clients hit (health checks, bots, load testers), and give the external store a TTL: expire each key after the `maxAge` koa-session passes to `store.set`.",
  'hand-rolled':
    "Create a session only when there is something to keep (at login or on the first write), not for every request without a cookie, don't touch sessions on health and bot routes, and expire old entries of the session map (a TTL).",
  unknown:
    "Create sessions only when a request stores something in them, don't touch the session on health and bot routes, and give the session store a TTL.",
};

/**
 * Turns a `leak` assessment into the `session-per-request` finding: the cookie counts and the store's growth
 * as sentences, the line responsible (the allocation site when user code creates the session, else the line
 * that installs the middleware plus the library frame) and one sentence of advice for the framework.
 */
export function buildSessionFinding(assessment: SessionAssessment, context: SessionFindingContext): Finding | null {
  const primary = assessment.growing[0];
  const cookie = assessment.cookie;
  if (assessment.outcome !== 'leak' || primary === undefined || cookie === null) return null;
  const framework = recognizeSessionFramework(cookie.name, context);
  const userCreated = context.creationSite !== null && !isLibraryFile(context.creationSite.file);
  const storeLabel = describeStore(context.retainerPath, primary.series.signature, context.holder);
  // A session is several objects (the entry, its key, nested fields): its cost is the sum over the groups.
  const bytesPerSession = assessment.growing.reduce((sum, g) => sum + g.bytesPerRequest, 0);
  const sentences = [
    cookieSentence(cookie),
    `${storeLabel} ${formatSigned(primary.countPerRequest)} ${primary.countPerRequest >= 0.95 && primary.countPerRequest < 1.05 ? 'entry' : 'entries'} per cookie-less request ` +
      `(about ${Math.round(bytesPerSession)} bytes each), ${formatSigned(primary.replayCountPerRequest)} per request while the cookie was replayed`,
  ];
  let responsible: Record<string, unknown>;
  let holder = context.holder;
  if (userCreated && context.creationSite !== null) {
    responsible = { kind: 'allocation-site', site: context.creationSite };
    sentences.push(`the session is created by user code at ${siteText(context.creationSite)}`);
  } else {
    responsible = {
      kind: 'middleware-install',
      installSite: context.installSite,
      libraryFrame: context.libraryFrame,
    };
    if (context.installSite !== null) {
      const how = context.installSite.foundBy === 'static-search' ? 'found by searching the server source' : 'from the retainer path';
      sentences.push(
        `the session middleware${context.installSite.packageName !== null ? ` (${context.installSite.packageName})` : ''} is installed at ` +
          `${context.installSite.file}:${context.installSite.line} (${how})` +
          (context.libraryFrame !== null ? `; the library stores each session in ${siteText(context.libraryFrame)}` : ''),
      );
      holder = {
        description: `${storeLabel}, filled by the session middleware installed here`,
        file: context.installSite.file,
        line: context.installSite.line,
      };
    } else if (context.libraryFrame !== null) {
      sentences.push(`the library stores each session in ${siteText(context.libraryFrame)}; the line installing it was not found`);
    }
  }
  return {
    kind: 'session-per-request',
    className: primary.series.className,
    group: groupLabel(primary.series),
    countPerRequest: primary.countPerRequest,
    bytesPerRequest: primary.bytesPerRequest,
    fitR2: primary.fitR2,
    retainerPath: context.retainerPath,
    holder,
    // The line that makes the session happen (#12): the user's allocation site, else the middleware install.
    creationSite: userCreated ? userCreationSite(context.creationSite!) : installCreationSite(context.installSite),
    creationStack: context.creationStack,
    creationSites: context.creationSites,
    evidence: {
      summary: sentences,
      framework,
      sessionCookie: cookie.name,
      companionCookies: cookie.companions,
      cookieLess: cookie.cookieLess,
      replay: cookie.replay,
      bytesPerSession,
      phaseDeltas: primary.phaseDeltas,
      requestsPerCookieLessPhase: primary.series.requests.length > 1 ? primary.series.requests[1]! - primary.series.requests[0]! : 0,
      relatedGroups: assessment.growing.slice(1, 6).map((g) => ({
        group: groupLabel(g.series),
        countPerRequest: g.countPerRequest,
        bytesPerRequest: g.bytesPerRequest,
      })),
      responsible,
    },
    advice: adviceByFramework[framework],
  };
}

/** The user's own session-creating line, from the session step's allocation stacks. */
function userCreationSite(site: CreationSite): CreationSite {
  return site.foundBy !== undefined ? site : { ...site, foundBy: 'allocation-stack', confidence: 'likely' };
}

/** The install line as a creation site: found by searching the source, never by a stack. */
function installCreationSite(install: SessionFindingContext['installSite']): CreationSite | null {
  if (install === null) return null;
  const fn = install.packageName === null ? 'session middleware install' : `${install.packageName} install`;
  // a closure on the retainer path records where it was written: heap evidence, but not the objects' stack
  const foundBy = install.foundBy === 'static-search' ? 'static-search' : 'name-in-source';
  return { functionName: fn, file: install.file, line: install.line, column: install.column, foundBy, confidence: 'likely' };
}

/** "every cookie-less response set a new session cookie `connect.sid` (600 of 600), while replaying one cookie set none (0 of 600)". */
export function cookieSentence(cookie: SessionCookieEvidence): string {
  const a = cookie.cookieLess;
  const b = cookie.replay;
  const which = a.fresh === a.answered ? 'every cookie-less response' : `${a.fresh} of ${a.answered} cookie-less responses`;
  const also = cookie.companions.length > 0 ? ` (with ${cookie.companions.map((c) => `\`${c}\``).join(', ')})` : '';
  const head =
    a.fresh === a.answered
      ? `${which} set a new session cookie \`${cookie.name}\`${also} (${a.fresh} of ${a.answered})`
      : `${which} set a new session cookie \`${cookie.name}\`${also}`;
  const resent = b.set - b.fresh;
  const tail =
    b.fresh === 0
      ? resent > 0
        ? `while replaying one cookie set no new one (0 of ${b.answered}; ${resent} re-sent the same value)`
        : `while replaying one cookie set none (0 of ${b.answered})`
      : `while replaying one cookie set a new one only ${b.fresh} of ${b.answered} times`;
  return `${head}, ${tail}`;
}

function formatSigned(value: number): string {
  const rounded = Math.abs(value) >= 10 ? Math.round(value) : Math.round(value * 100) / 100;
  return `${rounded >= 0 ? '+' : ''}${rounded}`;
}

/**
 * "MemoryStore.sessions", "Map `sessions` in module server.js": the container the sessions land in. From the
 * retainer path (steps like "MemoryStore `store`" → "Object `sessions`" → "(string) `<key>`"): the last
 * named collection step, qualified by its owner when the owner is an instance of a named class; else the
 * engine's holder description; else the group signature.
 */
export function describeStore(retainerPath: readonly string[], signature: string, holder: FindingHolder | null): string {
  const steps = retainerPath.map((step) => /^(.*?)(?: `([^`]*)`)?$/.exec(step)!);
  for (let i = steps.length - 1; i > 0; i--) {
    const [, className, edge] = steps[i]!;
    if (edge === undefined || edge === '<key>' || /^\[?\d+\]?$/.test(edge)) continue;
    if (!/^(Object|Map|Array|Set|WeakMap)$/.test(className ?? '')) continue;
    const owner = steps[i - 1]![1] ?? '';
    if (/^[A-Z][\w$]*$/.test(owner) && !/^(Object|Array|Map|Set|Application|Server|Layer|Function)$/.test(owner)) return `${owner}.${edge}`;
    break;
  }
  if (holder !== null) return holder.description;
  return signature !== '' ? signature : 'the session store';
}

function groupLabel(series: GroupSeries): string {
  return series.signature !== '' ? `${series.className} via ${series.signature}` : series.className;
}

function siteText(site: SourceSite): string {
  const name = site.functionName !== '' ? `${site.functionName} ` : '';
  return `${name}(${site.file}:${site.line}${site.column > 0 ? `:${site.column}` : ''})`;
}

function isLibraryFile(file: string): boolean {
  return file === '' || file.startsWith('node:') || /[/\\]node_modules[/\\]/.test(file);
}
