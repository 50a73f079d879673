/**
 * A message pipe to one inspector target: JSON text in, JSON text out. `websocket-transport.ts` is the one
 * implementation for a server in another process; tests may plug in others.
 */
export interface Transport {
  /** Sends one protocol message (a JSON string). Throws when the pipe is closed. */
  send(message: string): void;
  /** Registers the one receiver of incoming messages. */
  onMessage(listener: (message: string) => void): void;
  /** Called once when the pipe closes, with the reason when it closed by an error. */
  onClose(listener: (reason: Error | undefined) => void): void;
  /** Closes the pipe; idempotent. */
  close(): void;
}
