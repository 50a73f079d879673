import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Handle to a running watchdog: `release()` when the server was stopped on purpose. */
export interface Watchdog {
  /** Tells the watchdog the server is stopped by leakfinder itself, so it exits without signalling anyone. */
  release(): void;
}

const entry = fileURLToPath(new URL('./watchdog-entry.js', import.meta.url));

/**
 * Starts a small process that ends the process group `processGroup` (SIGTERM, then SIGKILL after `graceMs`)
 * as soon as this process dies without calling `release()`, whatever killed it (SIGKILL included): it
 * notices through a pipe that only this process holds open. Unref'd, so it never keeps this process alive.
 * With `scratchDirectory` (the run's private snapshot folder) it then removes the half-written `.partial`
 * files there, and the folder if that leaves it empty. POSIX only (process groups); on Windows a no-op.
 */
export function startWatchdog(processGroup: number, options: { graceMs?: number; scratchDirectory?: string } = {}): Watchdog {
  if (process.platform === 'win32') return { release: () => undefined };
  const args = [entry, String(processGroup), String(options.graceMs ?? 1_500), options.scratchDirectory ?? ''];
  const child = spawn(process.execPath, args, {
    // Its own session: a signal to leakfinder's group (Ctrl-C, a CI job killed as a group) does not reach it.
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    // No NODE_OPTIONS (an --inspect or --require of the user's would apply to it), nothing else needed.
    env: {},
  });
  child.once('error', () => undefined);
  child.stdin?.once('error', () => undefined);
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      child.stdin?.end('release\n');
    },
  };
}
