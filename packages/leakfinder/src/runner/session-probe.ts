import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { LeakfinderError } from '../errors.js';
import { parseSetCookie, type SetCookie } from './parse-set-cookie.js';

/** The two phases of the probe: first no cookies at all, then the first cookies the server set, replayed. */
export type SessionPhaseName = 'cookie-less' | 'replay';

/** The default phase order: cookie-less, replay, then cookie-less again, so growth must stop and resume. */
export const defaultSessionPhases: readonly SessionPhaseName[] = ['cookie-less', 'replay', 'cookie-less'];

/** Options of {@link probeSessions}. */
export interface SessionProbeOptions {
  /** `http://127.0.0.1:<port>`: where the server listens. */
  readonly baseUrl: string;
  /** Paths driven round-robin, as in `check`; `{n}` becomes the request's sequence number. */
  readonly paths: readonly string[];
  readonly method?: string;
  /** Extra request headers. A `Cookie` header here is sent in both phases, before the replayed cookies. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** K: requests in each phase. */
  readonly requestsPerPhase: number;
  /** Phases in order; the first must be `cookie-less` (it provides the cookie to replay). */
  readonly phases?: readonly SessionPhaseName[];
  /** Sequence number of the first request, for `{n}` (so URLs stay unique after an earlier run). */
  readonly firstRequestNumber?: number;
  /** Per request; a request that takes longer counts as failed. Default 10 000. */
  readonly requestTimeoutMs?: number;
  /** Requests sent before the first boundary to learn whether the server sets cookies at all: default 3, at least one per path. */
  readonly sniffRequests?: number;
  /** Aborting rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /**
   * Awaited at each phase boundary with the server idle (the place for GC and a heap snapshot): index 0
   * before the first phase, i after phase i, with the phases done so far. Resolving `'stop'` ends the probe
   * there (the evidence already rules a session leak out). Not called when the sniff saw no `Set-Cookie`.
   */
  readonly onBoundary?: (index: number, requestsSoFar: number, phasesSoFar: readonly CookiePhaseStats[]) => Promise<void | 'stop'>;
}

/** Responses by status class, as in the report's `requests.byStatus`. */
export interface StatusCounts {
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  failed: number;
}

/** How one cookie name behaved in one phase. */
export interface CookieNameStats {
  /** Responses that set this name (deletions excluded). */
  setCount: number;
  /** Responses that set this name to a value not seen before in the probe: a new session id, or a token. */
  freshCount: number;
  /** Responses that deleted it (`Max-Age=0`, a past `Expires`). */
  deletedCount: number;
}

/** What one phase of the probe saw. Cookie values never appear, only counts and names. */
export interface CookiePhaseStats {
  readonly phase: SessionPhaseName;
  readonly requests: number;
  readonly byStatus: StatusCounts;
  /** Responses carrying at least one `Set-Cookie` header. */
  readonly responsesWithSetCookie: number;
  /** Per cookie name. */
  readonly cookies: Readonly<Record<string, CookieNameStats>>;
  /** Distinct redirect targets (path only, query dropped: it may carry tokens), at most 5. */
  readonly redirectPaths: readonly string[];
  /** Distinct failure reasons (`ECONNRESET`, `timeout after 10000 ms`), at most 5. */
  readonly failureReasons: readonly string[];
}

/** The result of {@link probeSessions}. */
export interface SessionProbeResult {
  /** False when the sniff requests saw no `Set-Cookie`: then no phase ran and no boundary was called. */
  readonly ran: boolean;
  readonly requestsPerPhase: number;
  readonly sniff: CookiePhaseStats;
  /** One entry per phase, in order; empty when `ran` is false. */
  readonly phases: readonly CookiePhaseStats[];
  /** Names of the cookies replayed in the second phase: per name, the first value the cookie-less phase set. */
  readonly replayedCookieNames: readonly string[];
  /** Odd things seen (malformed Set-Cookie, Secure over http, a Path the probed paths do not match). */
  readonly notes: readonly string[];
  /** Why the probe stopped before its last phase (the server stopped answering), or null. */
  readonly stoppedEarly: string | null;
  /** The boundary at which `onBoundary` asked to stop, or null when every phase ran. */
  readonly stoppedAtBoundary: number | null;
}

interface PhaseState {
  phase: SessionPhaseName;
  requests: number;
  byStatus: StatusCounts;
  responsesWithSetCookie: number;
  cookies: Record<string, CookieNameStats>;
  redirectPaths: Set<string>;
  failureReasons: Set<string>;
}

const defaultRequestTimeoutMs = 10_000;
/** Consecutive requests without a response after which the probe gives up. */
const maxFailuresInARow = 5;

/**
 * Drives the phases of the session-per-request check against a running server: K requests without cookies,
 * K requests that replay the cookies the first cookie-less responses set, and (by default) K cookie-less
 * requests again, calling `onBoundary` before, between and after them. Counts fresh `Set-Cookie` values per cookie name per phase;
 * values are compared by hash and never kept or printed. Redirects are not followed (each response counts,
 * whatever its status). Requests go one at a time on one keep-alive socket, so "the first" is well defined.
 * @example
 * const result = await probeSessions({ baseUrl: 'http://127.0.0.1:3000', paths: ['/'], requestsPerPhase: 100 });
 * result.phases[0]?.cookies['connect.sid']?.freshCount; // 100 on express-session defaults
 */
export async function probeSessions(options: SessionProbeOptions): Promise<SessionProbeResult> {
  if (!Number.isInteger(options.requestsPerPhase) || options.requestsPerPhase < 1) {
    throw new LeakfinderError(
      'LF_OPTION_INVALID',
      `\`requestsPerPhase\` must be an integer ≥ 1, got ${String(options.requestsPerPhase)}.`,
      { usage: true },
    );
  }
  if (options.paths.length === 0) {
    throw new LeakfinderError('LF_OPTION_INVALID', 'the session probe needs at least one path.', { usage: true });
  }
  const phaseKinds = options.phases ?? defaultSessionPhases;
  if (phaseKinds[0] !== 'cookie-less') {
    throw new LeakfinderError('LF_OPTION_INVALID', 'the session probe must start with a `cookie-less` phase: it provides the cookie to replay.', { usage: true });
  }
  const base = new URL(options.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const seenValueHashes = new Set<string>();
  const notes = new Set<string>();
  let sequence = options.firstRequestNumber ?? 1;
  const context = { options, base, agent, seenValueHashes, notes };
  const nextPath = (): string => {
    const n = sequence++;
    return options.paths[(n - 1) % options.paths.length]!.replaceAll('{n}', String(n));
  };
  try {
    const sniff = newPhase('cookie-less');
    // At least one request per path, so a session made on the last path only is not missed.
    const sniffCount = Math.max(options.sniffRequests ?? 3, options.paths.length);
    for (let i = 0; i < sniffCount; i++) await send(context, sniff, nextPath(), '');
    if (sniff.responsesWithSetCookie === 0) {
      return { ran: false, requestsPerPhase: options.requestsPerPhase, sniff: freeze(sniff), phases: [], replayedCookieNames: [], notes: [...notes], stoppedEarly: null, stoppedAtBoundary: null };
    }

    // The jar a browser would keep: per name, the first value the first cookie-less phase set. With one path
    // that is the first Set-Cookie; with several paths that set different names it holds one of each.
    const jar = new Map<string, SetCookie>();
    let cookieHeader: string | null = null;
    const done: CookiePhaseStats[] = [];
    let measuredRequests = 0;
    const finish = (stoppedAtBoundary: number | null, stoppedEarly: string | null): SessionProbeResult => ({
      ran: true,
      requestsPerPhase: options.requestsPerPhase,
      sniff: freeze(sniff),
      phases: done,
      replayedCookieNames: [...jar.keys()],
      notes: [...notes],
      stoppedEarly,
      stoppedAtBoundary,
    });
    if ((await options.onBoundary?.(0, measuredRequests, done)) === 'stop') return finish(0, null);
    for (const [index, kind] of phaseKinds.entries()) {
      const phase = newPhase(kind);
      if (kind === 'replay') cookieHeader ??= cookieHeaderFor([...jar.values()], options.paths, base, notes);
      let failedInARow = 0;
      for (let i = 0; i < options.requestsPerPhase; i++) {
        const failedBefore = phase.byStatus.failed;
        const cookies = await send(context, phase, nextPath(), kind === 'replay' ? (cookieHeader ?? '') : '');
        failedInARow = phase.byStatus.failed > failedBefore ? failedInARow + 1 : 0;
        if (failedInARow >= maxFailuresInARow) {
          // A server that stopped answering would cost K × the request timeout; what was measured is kept.
          done.push(freeze(phase));
          const why = [...phase.failureReasons].join(', ');
          return finish(null, `${maxFailuresInARow} requests in a row got no response in the ${kind} phase (${why})`);
        }
        if (cookieHeader !== null) continue; // the jar is filled by the cookie-less phase before the first replay
        for (const cookie of cookies) if (!cookie.isDeletion && !jar.has(cookie.name)) jar.set(cookie.name, cookie);
      }
      measuredRequests += options.requestsPerPhase;
      done.push(freeze(phase));
      const last = index === phaseKinds.length - 1;
      if ((await options.onBoundary?.(index + 1, measuredRequests, done)) === 'stop' && !last) return finish(index + 1, null);
    }
    return finish(null, null);
  } finally {
    agent.destroy();
  }
}

function newPhase(phase: SessionPhaseName): PhaseState {
  return {
    phase,
    requests: 0,
    byStatus: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 },
    responsesWithSetCookie: 0,
    cookies: Object.create(null) as Record<string, CookieNameStats>, // cookie names are server input: no __proto__ tricks
    redirectPaths: new Set(),
    failureReasons: new Set(),
  };
}

function freeze(state: PhaseState): CookiePhaseStats {
  return {
    phase: state.phase,
    requests: state.requests,
    byStatus: { ...state.byStatus },
    responsesWithSetCookie: state.responsesWithSetCookie,
    cookies: { ...state.cookies },
    redirectPaths: [...state.redirectPaths],
    failureReasons: [...state.failureReasons],
  };
}

/**
 * The `Cookie` header a browser would send back, in the order first set. Cookies are replayed even where a browser would refuse them (Secure over
 * http, a foreign Domain, a Path the probed paths miss), because the question is whether the server reuses
 * its session when the client does keep the cookie; each such case is noted.
 */
function cookieHeaderFor(cookies: readonly SetCookie[], paths: readonly string[], base: URL, notes: Set<string>): string {
  const pairs: string[] = [];
  for (const cookie of cookies) {
    const label = cookie.name === '' ? 'a cookie without a name' : `cookie \`${cookie.name}\``;
    if (cookie.secure && base.protocol === 'http:') {
      notes.add(`${label} is Secure but the server was probed over http: replayed anyway`);
    }
    if (cookie.domain !== null && cookie.domain !== base.hostname) {
      notes.add(`${label} has Domain=${cookie.domain}, not ${base.hostname}: replayed anyway`);
    }
    const cookiePath = cookie.path;
    if (cookiePath !== null && !paths.some((p) => pathMatches(p, cookiePath))) {
      notes.add(`${label} has Path=${cookiePath}, which the probed paths do not match: replayed anyway`);
    }
    pairs.push(cookie.name === '' ? cookie.value : `${cookie.name}=${cookie.value}`);
  }
  return pairs.join('; ');
}

/** RFC 6265 §5.1.4 path-match, on the path part of a probed path template. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  const path = requestPath.split('?')[0] ?? requestPath;
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}

function hashValue(name: string, value: string): string {
  return createHash('sha256').update(name).update('\0').update(value).digest('base64');
}

interface SendContext {
  readonly options: SessionProbeOptions;
  readonly base: URL;
  readonly agent: Agent;
  readonly seenValueHashes: Set<string>;
  readonly notes: Set<string>;
}

/** Sends one request, records the response in `phase`, and returns the cookies it set. */
async function send(context: SendContext, phase: PhaseState, path: string, replayCookie: string): Promise<SetCookie[]> {
  const { options, base, agent } = context;
  options.signal?.throwIfAborted();
  phase.requests++;
  const headers: Record<string, string> = { ...options.headers };
  const userCookie = Object.entries(headers).find(([k]) => k.toLowerCase() === 'cookie');
  if (replayCookie !== '') {
    if (userCookie !== undefined) {
      delete headers[userCookie[0]];
      headers.cookie = `${userCookie[1]}; ${replayCookie}`;
    } else headers.cookie = replayCookie;
  }
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  if (body !== undefined) headers['content-length'] = String(body.byteLength);
  let outcome: { status: number; setCookie: string[]; location: string | undefined };
  try {
    outcome = await new Promise((resolve, reject) => {
      const timeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
      const req = request(
        new URL(path, base),
        { method: options.method ?? 'GET', headers, agent, signal: options.signal, timeout: timeoutMs },
        (res) => {
          res.on('error', reject);
          res.resume(); // the body does not matter, but it must be read for the socket to be reused
          res.on('end', () => {
            resolve({
              status: res.statusCode ?? 0,
              setCookie: res.headers['set-cookie'] ?? [],
              location: res.headers.location,
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    phase.byStatus.failed++;
    if (phase.failureReasons.size < 5) phase.failureReasons.add(failureReason(error));
    return [];
  }
  const statusClass = Math.floor(outcome.status / 100);
  if (statusClass === 2) phase.byStatus['2xx']++;
  else if (statusClass === 3) phase.byStatus['3xx']++;
  else if (statusClass === 4) phase.byStatus['4xx']++;
  else phase.byStatus['5xx']++; // 5xx, and the odd 1xx-final or out-of-range status
  if (statusClass === 3 && outcome.location !== undefined && phase.redirectPaths.size < 5) {
    phase.redirectPaths.add(redirectPath(outcome.location, base));
  }
  if (outcome.setCookie.length === 0) return [];
  phase.responsesWithSetCookie++;
  // A response may set one name twice; like a browser, the last one wins.
  const byName = new Map<string, SetCookie>();
  for (const header of outcome.setCookie) {
    const cookie = parseSetCookie(header);
    for (const oddity of cookie.oddities) {
      context.notes.add(`Set-Cookie ${cookie.name === '' ? '(no name)' : `\`${cookie.name}\``}: ${oddity}`);
    }
    if (byName.has(cookie.name)) {
      context.notes.add(`one response set cookie \`${cookie.name}\` more than once: the last one counts`);
      byName.delete(cookie.name); // keep "order first set" meaningful for the replayed header
    }
    byName.set(cookie.name, cookie);
  }
  for (const cookie of byName.values()) {
    const stats = (phase.cookies[cookie.name] ??= { setCount: 0, freshCount: 0, deletedCount: 0 });
    if (cookie.isDeletion) {
      stats.deletedCount++;
      continue;
    }
    stats.setCount++;
    const hash = hashValue(cookie.name, cookie.value);
    if (!context.seenValueHashes.has(hash)) stats.freshCount++;
    context.seenValueHashes.add(hash);
  }
  return [...byName.values()];
}

function redirectPath(location: string, base: URL): string {
  try {
    const target = new URL(location, base);
    return target.origin === base.origin ? target.pathname : `${target.origin}${target.pathname}`;
  } catch {
    return '(unparsable Location)';
  }
}

function failureReason(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return String(error);
}
