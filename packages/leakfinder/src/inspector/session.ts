import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';
import { LeakfinderError } from '../errors.js';
import type { Transport } from './transport.js';

/** Every CDP command with its parameter and result types (from devtools-protocol). */
export type Commands = ProtocolMapping.Commands;
/** Every CDP event with its payload tuple (from devtools-protocol). */
export type Events = ProtocolMapping.Events;

/** Per-call options of {@link InspectorSession.call}. */
export interface CallOptions {
  /** Rejects with `LF_TIMEOUT` after this long; default: the session's `defaultTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Rejects with `signal.reason` when aborted (the call itself may still complete in the target). */
  readonly signal?: AbortSignal;
}

interface Pending {
  readonly method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * One CDP session over a {@link Transport}: typed `call(method, params)` matched to replies by id, typed
 * events with `on`, per-call timeouts and AbortSignal. Pending calls reject when the transport closes.
 */
export class InspectorSession {
  readonly #transport: Transport;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<(params: unknown) => void>>();
  readonly #defaultTimeoutMs: number;
  #nextId = 1;
  #closedReason: Error | undefined;
  /** Resolves when the connection closes (the target exited, or `close()` was called). */
  readonly closed: Promise<void>;

  constructor(transport: Transport, options: { defaultTimeoutMs?: number } = {}) {
    this.#transport = transport;
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    transport.onMessage((text) => this.#receive(text));
    this.closed = new Promise<void>((resolve) => {
      transport.onClose((reason) => {
        this.#closedReason = new LeakfinderError(
          'LF_INSPECTOR_FAILED',
          `the inspector connection closed${reason ? `: ${reason.message}` : ''} (did the server exit?).`,
          { cause: reason },
        );
        for (const pending of this.#pending.values()) pending.reject(this.#closedReason);
        this.#pending.clear();
        resolve();
      });
    });
  }

  /** True once the connection has closed. */
  get isClosed(): boolean {
    return this.#closedReason !== undefined;
  }

  /**
   * Sends a command and resolves with its result. A protocol error rejects with `LF_INSPECTOR_FAILED`
   * naming the method; a timeout with `LF_TIMEOUT`.
   */
  call<M extends keyof Commands>(
    method: M,
    params?: Commands[M]['paramsType'][0],
    options: CallOptions = {},
  ): Promise<Commands[M]['returnType']> {
    if (this.#closedReason) return Promise.reject(this.#closedReason);
    if (options.signal?.aborted) return Promise.reject(options.signal.reason as Error);
    const id = this.#nextId++;
    const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
    return new Promise<Commands[M]['returnType']>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(id);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new LeakfinderError('LF_TIMEOUT', `inspector call ${method} took longer than ${timeoutMs} ms.`));
      }, timeoutMs);
      const onAbort = (): void => {
        cleanup();
        reject(options.signal?.reason as Error);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        method,
        resolve: (value) => {
          cleanup();
          resolve(value as Commands[M]['returnType']);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      try {
        this.#transport.send(JSON.stringify({ id, method, params: params ?? {} }));
      } catch (error) {
        this.#pending.get(id)?.reject(error as Error);
      }
    });
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    // CDP events carry one params object; the tuple type of devtools-protocol has 0 or 1 element.
    const wrapped = (params: unknown): void => {
      (listener as (p: unknown) => void)(params);
    };
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  /** Closes the connection; pending calls reject. */
  close(): void {
    this.#transport.close();
  }

  #receive(text: string): void {
    let message: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string } };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return; // not a protocol message; nothing waits for it
    }
    if (message.id !== undefined) {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      if (message.error) {
        pending.reject(
          new LeakfinderError('LF_INSPECTOR_FAILED', `CDP error ${message.error.code} calling ${pending.method}: ${message.error.message}`),
        );
      } else {
        pending.resolve(message.result ?? {});
      }
      return;
    }
    if (message.method !== undefined) {
      for (const listener of this.#listeners.get(message.method) ?? []) listener(message.params);
    }
  }
}
