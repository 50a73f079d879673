// Runs the real `leakfinder` CLI against test/fixtures/servers/fault-server.mjs and sends it a signal at a
// chosen moment (when a line shows on its stderr), then looks at what is left: the server's process group,
// its inspector ports, the report. Used by the fault-matrix tests (check-faults*.ts).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(packageDir, 'bin/leakfinder.js');
export const faultServer = join(packageDir, 'test/fixtures/servers/fault-server.mjs');

/** What the fault server printed about itself (and its child, with LF_FAULT_CHILD=1). */
export interface ServerTree {
  readonly pid: number;
  readonly pgid: number;
  readonly inspectorPorts: readonly number[];
}

export interface FaultRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Undefined when the server never printed its FIXTURE line. */
  readonly tree: ServerTree | undefined;
  /** ms from the signal to leakfinder's exit. */
  readonly exitAfterSignalMs: number | undefined;
}

/**
 * Runs `leakfinder <args>`; once `when` matches its output (stderr + stdout; and `delayMs` more), sends `signal`.
 * `when` may wait for the fixture's child too (`FIXTURE-CHILD`), so the whole tree is known.
 */
export function runAndSignal(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; when?: RegExp; delayMs?: number; signal?: NodeJS.Signals; timeoutMs?: number } = {},
): Promise<FaultRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? packageDir,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalledAt: number | undefined;
    const watch = (): void => {
      if (options.when !== undefined && signalledAt === undefined && options.when.test(stderr + stdout)) {
        signalledAt = -1;
        setTimeout(() => {
          signalledAt = performance.now();
          child.kill(options.signal ?? 'SIGINT');
        }, options.delayMs ?? 0);
      }
    };
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
      watch();
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
      watch();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        tree: serverTreeOf(stderr),
        exitAfterSignalMs: signalledAt !== undefined && signalledAt > 0 ? performance.now() - signalledAt : undefined,
      });
    });
  });
}

function serverTreeOf(stderr: string): ServerTree | undefined {
  const main = /FIXTURE pid=(\d+) pgid=(\d+|unknown) inspector=(\d+)/.exec(stderr);
  if (!main) return undefined;
  const ports = [Number(main[3])];
  const child = /FIXTURE-CHILD pid=(\d+) inspector=(\d+)/.exec(stderr);
  if (child) ports.push(Number(child[2]));
  // Started detached, the server leads its own group: its pgid is its pid (where /proc is missing).
  return { pid: Number(main[1]), pgid: main[2] === 'unknown' ? Number(main[1]) : Number(main[2]), inspectorPorts: ports };
}

/** Live (not zombie) processes of a process group, from `ps` (Linux and macOS). */
export function liveProcessesOfGroup(pgid: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => {
      const [, group, stat] = l.split(/\s+/);
      // A zombie holds no memory and no port; here PID 1 does not reap orphans, so they stay listed.
      return Number(group) === pgid && stat !== undefined && !stat.startsWith('Z');
    });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolvePromise(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

/**
 * Waits up to `withinMs` for the server's whole group to end and every inspector port to refuse; returns
 * how long it took, or throws with what is left (and kills it, so a failing test leaves nothing behind).
 */
export async function waitUntilTreeGone(tree: ServerTree, withinMs = 5_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const live = liveProcessesOfGroup(tree.pgid);
    const open: number[] = [];
    for (const port of tree.inspectorPorts) if (await portOpen(port)) open.push(port);
    if (live.length === 0 && open.length === 0) return performance.now() - started;
    if (performance.now() - started > withinMs) {
      try {
        process.kill(-tree.pgid, 'SIGKILL');
      } catch {
        // gone
      }
      throw new Error(`after ${withinMs} ms the server's group ${tree.pgid} still has ${JSON.stringify(live)}, open inspector ports ${JSON.stringify(open)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** sha256 of each file, to show that no input changed. */
export function checksums(files: readonly string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, createHash('sha256').update(readFileSync(f)).digest('hex')]));
}

/** The lines leakfinder itself wrote about a failure (not progress, not the server's). */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('leakfinder: ') && !/^leakfinder: (starting|server ready|warm-up|checkpoint|kept|reading|not clear|server output)/.test(l));
}
