import { Session } from 'node:inspector';
import type { Transport } from './transport.js';

/**
 * A {@link Transport} to this process's own V8 through `node:inspector` (no port, no socket): what
 * `leakfinder/assert` uses to drive the sampling heap profiler and read script sources inside a test run.
 * Replies of a same-thread session may arrive synchronously, inside `send`; InspectorSession registers its
 * pending call before sending, so that is safe. Never pause the debugger through it: this thread would stop.
 */
export class InProcessTransport implements Transport {
  readonly #session = new Session();
  #receive: (message: string) => void = () => undefined;
  #closeListener: (reason: Error | undefined) => void = () => undefined;
  #closed = false;

  constructor() {
    this.#session.connect();
    this.#session.on('inspectorNotification', (message) => {
      this.#receive(JSON.stringify(message));
    });
  }

  send(message: string): void {
    if (this.#closed) throw new Error('the in-process inspector session is closed');
    const { id, method, params } = JSON.parse(message) as { id: number; method: string; params?: object };
    this.#session.post(method, params ?? {}, (error, result) => {
      const code = (error as { code?: number } | null)?.code;
      this.#receive(
        JSON.stringify(error ? { id, error: { code: typeof code === 'number' ? code : -32000, message: error.message } } : { id, result }),
      );
    });
  }

  onMessage(listener: (message: string) => void): void {
    this.#receive = listener;
  }

  onClose(listener: (reason: Error | undefined) => void): void {
    this.#closeListener = listener;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#session.disconnect();
    this.#closeListener(undefined);
  }
}
