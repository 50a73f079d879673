import { Agent, request } from 'node:http';
import { LeakfinderError } from '../errors.js';

/** What to send: one request shape, round-robin over `paths`. */
export interface RequestPlan {
  /** `http://host:port`, no trailing slash. */
  readonly baseUrl: string;
  /** Paths, used round-robin; `{n}` becomes the request's sequence number (1-based, over the whole run). */
  readonly paths: readonly string[];
  readonly method: string;
  /** Extra headers, e.g. `{ 'content-type': 'application/json' }`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly concurrency: number;
  /** A fixed `Cookie` header sent with every request (e.g. a replayed session). */
  readonly cookie?: string;
  /** Keep cookies the server sets and send them back (a one-client cookie jar); off by default. */
  readonly keepCookies?: boolean;
  /** Gives up on one request after this long; it counts as failed (default 30 s). */
  readonly requestTimeoutMs?: number;
}

/** Responses by status class; `failed` = no response (refused, reset, timed out). */
export interface StatusCounts {
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  failed: number;
}

/** One response, as reported to `onResponse`. */
export interface ResponseInfo {
  readonly sequence: number;
  readonly status: number;
  /** Names of the cookies set by this response (`set-cookie`), never their values. */
  readonly setCookieNames: readonly string[];
}

/**
 * A bounded keep-alive load driver over `node:http`: at most `concurrency` requests in flight, no cookies
 * unless asked. One driver serves a whole run, so `{n}` keeps counting and sockets stay open across batches.
 */
export class LoadDriver {
  readonly #plan: RequestPlan;
  readonly #agent: Agent;
  readonly #jar = new Map<string, string>();
  #sequence = 0;
  /** Totals over every batch so far. */
  readonly byStatus: StatusCounts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 };
  /** The first few request errors, for the report ("ECONNRESET on /x"). */
  readonly errors: string[] = [];

  constructor(plan: RequestPlan) {
    if (plan.paths.length === 0) throw new LeakfinderError('LF_OPTION_INVALID', 'at least one `--path` is needed.', { usage: true });
    this.#plan = plan;
    this.#agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency, maxFreeSockets: plan.concurrency });
  }

  /** Requests sent so far over all batches. */
  get sent(): number {
    return this.#sequence;
  }

  /**
   * Sends `count` requests, at most `concurrency` at a time, and resolves when every one has a response
   * or failed. Aborting stops sending new ones, cuts the ones in flight and rejects with `signal.reason`.
   */
  async run(count: number, options: { signal?: AbortSignal; onResponse?: (info: ResponseInfo) => void } = {}): Promise<StatusCounts> {
    const batch: StatusCounts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 };
    let remaining = count;
    const worker = async (): Promise<void> => {
      while (remaining > 0 && !options.signal?.aborted) {
        remaining--;
        const sequence = ++this.#sequence;
        const info = await this.#send(sequence, options.signal);
        // Cut off by an abort: not an answer of the server, so not counted.
        if (options.signal?.aborted) break;
        const bucket = statusBucket(info.status);
        batch[bucket]++;
        this.byStatus[bucket]++;
        if (info.status !== 0) options.onResponse?.(info);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#plan.concurrency, Math.max(count, 1)) }, worker));
    if (options.signal?.aborted) throw options.signal.reason as Error;
    return batch;
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.#agent.destroy();
  }

  #send(sequence: number, signal: AbortSignal | undefined): Promise<ResponseInfo> {
    const plan = this.#plan;
    const path = plan.paths[(sequence - 1) % plan.paths.length]!.replaceAll('{n}', String(sequence));
    const headers: Record<string, string> = { ...plan.headers };
    const cookies = [plan.cookie, ...(plan.keepCookies ? [...this.#jar].map(([k, v]) => `${k}=${v}`) : [])].filter(
      (c): c is string => c !== undefined && c !== '',
    );
    if (cookies.length > 0) headers.cookie = cookies.join('; ');
    if (plan.body !== undefined) headers['content-length'] = String(plan.body.length);
    return new Promise<ResponseInfo>((resolve) => {
      let done = false;
      const finish = (status: number, setCookieNames: readonly string[], error?: Error): void => {
        if (done) return;
        done = true;
        if (error && this.errors.length < 5) this.errors.push(`${error.message} on ${plan.method} ${path}`);
        resolve({ sequence, status, setCookieNames });
      };
      const req = request(
        `${plan.baseUrl}${path}`,
        // The signal ends requests in flight too: a Ctrl-C must not wait for a server that never answers.
        { method: plan.method, headers, agent: this.#agent, timeout: plan.requestTimeoutMs ?? 30_000, ...(signal ? { signal } : {}) },
        (res) => {
          const setCookie = res.headers['set-cookie'] ?? [];
          const names = setCookie.map((c) => c.slice(0, Math.max(0, c.indexOf('='))).trim());
          if (plan.keepCookies) {
            for (const c of setCookie) {
              const pair = c.split(';', 1)[0]!;
              const eq = pair.indexOf('=');
              if (eq > 0) this.#jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
            }
          }
          res.resume(); // the body is not needed, but must be read for the socket to be reused
          res.once('end', () => finish(res.statusCode ?? 0, names));
          res.once('error', (error) => finish(0, names, error));
        },
      );
      req.once('timeout', () => req.destroy(new Error(`no response within ${plan.requestTimeoutMs ?? 30_000} ms`)));
      req.once('error', (error) => finish(0, [], error));
      req.end(plan.body);
    });
  }
}

/** The `byStatus` bucket of an HTTP status code; anything outside 200-599 counts as failed. */
export function statusBucket(status: number): keyof StatusCounts {
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 300 && status < 400) return '3xx';
  if (status >= 400 && status < 500) return '4xx';
  if (status >= 500 && status < 600) return '5xx';
  return 'failed';
}
