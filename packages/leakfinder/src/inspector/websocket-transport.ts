import WebSocket from 'ws';
import { LeakfinderError } from '../errors.js';
import type { Transport } from './transport.js';

/** Options of {@link connectWebSocket}. */
export interface WebSocketConnectOptions {
  /** Gives up after this long (default 10 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Opens a CDP WebSocket (`ws://127.0.0.1:<port>/<uuid>`) and resolves once it is open.
 * Rejects with `LF_INSPECTOR_FAILED` when the target refuses, or `LF_TIMEOUT`.
 */
export function connectWebSocket(url: string, options: WebSocketConnectOptions = {}): Promise<Transport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<Transport>((resolve, reject) => {
    // Snapshot chunks are small, but a Runtime.evaluate result can be large: allow up to 256 MiB per message.
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.terminate();
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(new LeakfinderError('LF_TIMEOUT', `inspector at ${url} did not accept a connection within ${timeoutMs} ms.`));
    }, timeoutMs);
    const onAbort = (): void => fail(options.signal?.reason as Error);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    socket.once('error', (error) => {
      fail(new LeakfinderError('LF_INSPECTOR_FAILED', `could not connect to the inspector at ${url}: ${error.message}`, { cause: error }));
    });
    socket.once('open', () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(wrap(socket));
    });
  });
}

function wrap(socket: WebSocket): Transport {
  let closeListener: ((reason: Error | undefined) => void) | undefined;
  let closeReason: Error | undefined;
  let closed = false;
  const notifyClose = (): void => {
    if (closed) return;
    closed = true;
    closeListener?.(closeReason);
  };
  socket.on('error', (error) => {
    closeReason = error;
  });
  socket.on('close', notifyClose);
  return {
    send(message) {
      if (socket.readyState !== WebSocket.OPEN) {
        throw new LeakfinderError('LF_INSPECTOR_FAILED', 'the inspector connection is closed (did the server exit?).');
      }
      socket.send(message);
    },
    onMessage(listener) {
      socket.on('message', (data: WebSocket.RawData) => {
        listener(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
      });
    },
    onClose(listener) {
      closeListener = listener;
      if (closed) listener(closeReason);
    },
    close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.terminate();
    },
  };
}
