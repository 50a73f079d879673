import { AsyncLocalStorage } from 'node:async_hooks';
import WebSocket from 'ws';
import { LeakfinderError } from '../errors.js';
import { describeScenarioError, scenarioLineOf, type ScenarioModule } from './load-scenario.js';
import { statusBucket, type StatusCounts } from './load.js';
import type { TrafficDriver } from './traffic-driver.js';

/** Options of {@link ScenarioDriver.start}. */
export interface ScenarioPlan {
  /** `http://host:port`, no trailing slash. */
  readonly baseUrl: string;
  readonly scenario: ScenarioModule;
  /** Iterations in flight at once. */
  readonly concurrency: number;
  /** An iteration (and `setup`, `teardown`) that has not settled after this long fails. */
  readonly iterationTimeoutMs: number;
  /** Sent with every `fetch` unless the call sets the same header (`--header`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The plain `fetch` keeps cookies in one jar for the whole run (`--cookies`); default cookie-less. */
  readonly keepCookies?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * `fetch` bound to the server: relative URLs resolve against the base URL, every call is counted, and the
 * running iteration's signal (timeout, Ctrl-C) is applied. Cookie-less, like the plain requests of `check`.
 */
export interface ScenarioFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** A new fetch with its own cookie jar: it keeps the cookies the server sets and sends them back. */
  withCookies(): ScenarioFetch;
}

/**
 * What a scenario's functions receive (`import type { ScenarioContext } from 'leakfinder'` in a `.ts`
 * scenario). `setup` gets it with `n = 0` and no `state`; `teardown` gets `{ state, baseUrl, fetch }`.
 */
export interface ScenarioContext<State = unknown> {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  /** `ws://127.0.0.1:<port>`. */
  readonly wsUrl: string;
  readonly fetch: ScenarioFetch;
  /** `ws`'s WebSocket class; relative URLs (`'/chat'`) resolve against the server. */
  readonly WebSocket: new (address: string | URL, ...rest: unknown[]) => WebSocket;
  /** The iteration's number, 1-based over the whole run. */
  readonly n: number;
  /** What `setup` returned. */
  readonly state: State;
  /** Aborted when the iteration times out or the run is cancelled. */
  readonly signal: AbortSignal;
}

/** The first failed iteration, for the report. */
export interface ScenarioError {
  readonly message: string;
  /** The scenario file, when the error's stack runs through it. */
  readonly file: string | null;
  readonly line: number | null;
}

/** What the report says about a scenario run, beside the iteration counts. */
export interface ScenarioSummary {
  readonly file: string;
  /** HTTP requests made through `fetch` inside the iterations, and their statuses (`failed` = no response). */
  readonly httpRequests: number;
  readonly httpByStatus: StatusCounts;
  readonly iterationTimeoutSeconds: number;
  readonly firstError: ScenarioError | null;
}

/** After this many finished iterations with more than `hopelessFailedShare` failed, stop sending more. */
const hopelessAfter = 16;
const hopelessFailedShare = 0.9;

/**
 * Drives a user's scenario (issue #15): `setup` once, then `iteration` `count` times per batch with at most
 * `concurrency` in flight, each bounded by a timeout. Same face as {@link LoadDriver}, so `check` measures
 * growth per iteration exactly as it measures growth per request.
 */
export class ScenarioDriver implements TrafficDriver {
  readonly #plan: ScenarioPlan;
  readonly #current = new AsyncLocalStorage<{ signal: AbortSignal; counted: boolean }>();
  #state: unknown;
  #sequence = 0;
  #closed = false;
  readonly byStatus: StatusCounts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 };
  readonly errors: string[] = [];
  readonly #httpByStatus: StatusCounts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 };
  #httpRequests = 0;
  #firstError: ScenarioError | null = null;
  /** Connections the scenario opened with the `WebSocket` it was given, closed at the end if still open. */
  readonly #sockets = new Set<WebSocket>();
  readonly fetch: ScenarioFetch;
  /** `WebSocket` from `ws` (Node 20 has no global one), relative to the server and closed at the end. */
  readonly #WebSocket: new (address: string | URL, ...rest: unknown[]) => WebSocket;

  private constructor(plan: ScenarioPlan) {
    this.#plan = plan;
    this.fetch = this.#makeFetch(plan.keepCookies === true ? new Map() : undefined);
    const sockets = this.#sockets;
    const wsBase = plan.baseUrl.replace(/^http/, 'ws');
    this.#WebSocket = class ScenarioWebSocket extends WebSocket {
      constructor(address: string | URL, ...rest: unknown[]) {
        super(new URL(address, `${wsBase}/`), ...(rest as []));
        sockets.add(this);
        this.once('close', () => sockets.delete(this));
      }
    };
  }

  /** Creates the driver and runs the scenario's `setup`; a throwing setup is one `LF_SCENARIO_FAILED` line. */
  static async start(plan: ScenarioPlan): Promise<ScenarioDriver> {
    const driver = new ScenarioDriver(plan);
    const setup = plan.scenario.setup;
    if (setup !== undefined) {
      try {
        driver.#state = await driver.#bounded('setup', plan.signal, false, () => setup(driver.#context(0)));
      } catch (error) {
        if (plan.signal?.aborted) throw plan.signal.reason as Error;
        driver.#closeSockets();
        throw new LeakfinderError('LF_SCENARIO_FAILED', `the scenario's setup failed: ${describeScenarioError(error, plan.scenario.file)}`, { cause: error, usage: true });
      }
    }
    return driver;
  }

  /** Iterations started so far. */
  get sent(): number {
    return this.#sequence;
  }

  summary(): ScenarioSummary {
    return {
      file: this.#plan.scenario.file,
      httpRequests: this.#httpRequests,
      httpByStatus: { ...this.#httpByStatus },
      iterationTimeoutSeconds: this.#plan.iterationTimeoutMs / 1000,
      firstError: this.#firstError,
    };
  }

  /**
   * Runs `count` iterations. Stops early when nearly all of them fail (a broken scenario would otherwise
   * wait out a timeout per iteration); `check` then reports the failed share as inconclusive.
   */
  async run(count: number, options: { signal?: AbortSignal } = {}): Promise<StatusCounts> {
    const batch: StatusCounts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 };
    let remaining = count;
    const worker = async (): Promise<void> => {
      while (remaining > 0 && !options.signal?.aborted && !this.#hopeless()) {
        remaining--;
        const n = ++this.#sequence;
        const bucket = (await this.#iterate(n, options.signal)) ? '2xx' : 'failed';
        batch[bucket]++;
        this.byStatus[bucket]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#plan.concurrency, Math.max(count, 1)) }, worker));
    if (options.signal?.aborted) throw options.signal.reason as Error;
    return batch;
  }

  /** Runs `teardown` (bounded by the iteration timeout; its failure is ignored) and closes open websockets. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const teardown = this.#plan.scenario.teardown;
    if (teardown !== undefined) {
      await this.#bounded('teardown', undefined, false, () => teardown({ state: this.#state, baseUrl: this.#plan.baseUrl, fetch: this.fetch })).catch(() => undefined);
    }
    this.#closeSockets();
  }

  #hopeless(): boolean {
    const done = this.byStatus['2xx'] + this.byStatus.failed;
    return done >= hopelessAfter && this.byStatus.failed / done > hopelessFailedShare;
  }

  async #iterate(n: number, runSignal: AbortSignal | undefined): Promise<boolean> {
    try {
      await this.#bounded(`iteration ${n}`, runSignal, true, () => this.#plan.scenario.iteration(this.#context(n)));
      return true;
    } catch (error) {
      if (runSignal?.aborted) return false;
      const message = describeScenarioError(error, this.#plan.scenario.file);
      if (this.#firstError === null) {
        const line = scenarioLineOf(error, this.#plan.scenario.file);
        this.#firstError = { message, file: line === null ? null : this.#plan.scenario.file, line };
      }
      if (this.errors.length < 5 && !this.errors.includes(message)) this.errors.push(message);
      return false;
    }
  }

  /** Runs `body` with its own signal, aborted after the timeout or when `outer` aborts; rejects on either. */
  async #bounded(what: string, outer: AbortSignal | undefined, counted: boolean, body: () => unknown): Promise<unknown> {
    const controller = new AbortController();
    const seconds = this.#plan.iterationTimeoutMs / 1000;
    const timer = setTimeout(
      () => controller.abort(new Error(`${what} did not settle within ${seconds} s (\`--iteration-timeout\`)`)),
      this.#plan.iterationTimeoutMs,
    );
    const onOuterAbort = (): void => controller.abort(outer?.reason);
    if (outer?.aborted) onOuterAbort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      return await new Promise<unknown>((resolve, reject) => {
        if (controller.signal.aborted) return reject(controller.signal.reason);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
        this.#current.run({ signal: controller.signal, counted }, () => Promise.resolve().then(body)).then(resolve, reject);
      });
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  #context(n: number): Record<string, unknown> {
    const plan = this.#plan;
    return {
      baseUrl: plan.baseUrl,
      wsUrl: plan.baseUrl.replace(/^http/, 'ws'),
      fetch: this.fetch,
      WebSocket: this.#WebSocket,
      n,
      state: this.#state,
      signal: this.#current.getStore()?.signal,
    };
  }

  #closeSockets(): void {
    for (const socket of this.#sockets) socket.terminate();
    this.#sockets.clear();
  }

  #makeFetch(jar: Map<string, string> | undefined): ScenarioFetch {
    const plan = this.#plan;
    const bound = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
      const iteration = this.#current.getStore();
      const counted = iteration?.counted === true; // setup's and teardown's requests are not the iterations'
      const signal = iteration === undefined ? (init.signal ?? undefined) : init.signal ? AbortSignal.any([init.signal, iteration.signal]) : iteration.signal;
      const target = input instanceof Request ? input : new URL(input, `${plan.baseUrl}/`);
      const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
      for (const [name, value] of Object.entries(plan.headers ?? {})) if (!headers.has(name)) headers.set(name, value);
      if (jar !== undefined && jar.size > 0 && !headers.has('cookie')) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      if (counted) this.#httpRequests++;
      let response: Response;
      try {
        response = await fetch(target, { ...init, headers, signal });
      } catch (error) {
        if (counted) this.#httpByStatus.failed++;
        throw error;
      }
      if (counted) this.#httpByStatus[statusBucket(response.status)]++;
      if (jar !== undefined) {
        for (const cookie of response.headers.getSetCookie()) {
          const pair = cookie.split(';', 1)[0]!;
          const eq = pair.indexOf('=');
          if (eq <= 0) continue;
          const name = pair.slice(0, eq).trim();
          const value = pair.slice(eq + 1).trim();
          if (value === '' || /;\s*max-age=0\b/i.test(cookie)) jar.delete(name);
          else jar.set(name, value);
        }
      }
      return response;
    };
    return Object.assign(bound, { withCookies: () => this.#makeFetch(new Map()) });
  }
}

