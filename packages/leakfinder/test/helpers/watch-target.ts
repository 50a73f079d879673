// A fixture server started as a plain `node <file>` (no inspector flag) and a load loop of the test's own
// (not leakfinder's driver): mixed routes, POST bodies, a few requests in flight.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createConnection } from 'node:net';

export interface WatchTarget {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** What `/__stats` reports (channel subscribers, process listeners, inspector URL). */
  stats(): Promise<Record<string, unknown>>;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts `node file` with `env` and waits for its `listening <port>` line. */
export async function startWatchTarget(file: string, env: Record<string, string> = {}, command: readonly string[] = [process.execPath]): Promise<WatchTarget> {
  const child = spawn(command[0]!, [...command.slice(1), file], { env: { ...process.env, ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`fixture did not listen in 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${stderr}`)));
  });
  return {
    child,
    pid: child.pid!,
    port,
    exited,
    stats: async () => JSON.parse((await send(port, 'GET', '/__stats')).body) as Record<string, unknown>,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** One request; resolves with status and body. */
export function send(port: number, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (t: string) => (text += t));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Drives the target until `stop()`: GET /orders/<n>, POST /orders with a JSON body, GET /, GET /health,
 * 4 in flight, a `pauseMs` pause per request (default 2 ms) so the machine stays usable. Errors end that worker quietly
 * (the target may exit on purpose in a test).
 */
export function driveLoad(port: number, pauseMs = 2): { stop(): Promise<number>; readonly sent: () => number } {
  let stopped = false;
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (!stopped) {
      const n = sent++;
      try {
        if (n % 4 === 1) await send(port, 'POST', '/orders', JSON.stringify({ id: `p${n}`, items: [n, n + 1] }));
        else if (n % 8 === 3) await send(port, 'GET', n % 16 === 3 ? '/' : '/health');
        else await send(port, 'GET', `/orders/${n}`);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const workers = [worker(), worker(), worker(), worker()];
  return {
    sent: () => sent,
    async stop() {
      stopped = true;
      await Promise.all(workers);
      return sent;
    },
  };
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
