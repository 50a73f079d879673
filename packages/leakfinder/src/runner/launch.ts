import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { LeakfinderError } from '../errors.js';
import { evaluateValue } from '../inspector/heap.js';
import { InspectorSession } from '../inspector/session.js';
import { connectWebSocket } from '../inspector/websocket-transport.js';
import { startWatchdog } from './watchdog.js';

/** Options of {@link launchServer}. */
export interface LaunchOptions {
  /**
   * The server command and its arguments, e.g. `['node', 'server.js']` or `['npm', 'start']`. `{port}` anywhere
   * in it becomes the port the server should listen on (`['json-server', '--port', '{port}', 'db.json']`).
   */
  readonly command: readonly string[];
  readonly cwd?: string;
  /** The environment to start from (default `process.env`); `PORT` and `NODE_OPTIONS` are set on top. */
  readonly env?: NodeJS.ProcessEnv;
  /** The server listens on this fixed port; without it a free port is picked and passed in `PORT`. */
  readonly port?: number;
  /** Base URL of the server (`http://host:port`); implies its port. */
  readonly url?: string;
  /** Ready when this path answers 2xx/3xx; without it, ready when the port accepts a connection. */
  readonly readyPath?: string;
  readonly startupTimeoutMs: number;
  /** Every line the server writes, minus the inspector's own banner lines. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
  readonly signal?: AbortSignal;
  /** This run's private snapshot folder: if leakfinder dies, the watchdog removes its half-written files. */
  readonly scratchDirectory?: string;
}

/** A running server under the inspector. Call `stop()` in a `finally`. */
export interface LaunchedServer {
  readonly baseUrl: string;
  readonly port: number;
  /** Pid of the process that serves the requests (may be a child of the command, e.g. under `npm start`). */
  readonly servingPid: number;
  readonly inspectorUrl: string;
  /** Inspector session to the serving process. */
  readonly session: InspectorSession;
  /** Resolves with a description when the server stops on its own (exit, crash, inspector gone). */
  readonly exited: Promise<string>;
  /** The last lines the server wrote to stderr (at most 20). */
  lastStderrLines(): readonly string[];
  /** Closes the inspector and kills the whole process tree; idempotent. */
  stop(): Promise<void>;
}

const inspectorBanner = /^(Debugger listening on ws:|For help, see: https:\/\/nodejs\.org\/|Debugger attached\.|Debugger ending on ws:|Waiting for the debugger to disconnect)/;

/**
 * Starts `command` with `NODE_OPTIONS=--inspect=127.0.0.1:0` (plus the user's own NODE_OPTIONS) and `PORT`,
 * waits until it serves, and connects to the inspector of the process that owns the listening socket.
 * Every Node process of the tree opens an inspector (npm, tsx), so each one is asked whether it listens.
 */
export async function launchServer(options: LaunchOptions): Promise<LaunchedServer> {
  if (options.command[0] === undefined) throw new LeakfinderError('LF_OPTION_INVALID', 'no server command given: put it after `--`, e.g. `leakfinder check -- node server.js`.', { usage: true });
  const fixedPort = options.port ?? (options.url !== undefined ? portOfUrl(options.url) : undefined);
  if (fixedPort !== undefined && (await portAccepts('127.0.0.1', fixedPort))) {
    throw new LeakfinderError(
      'LF_TARGET_START_FAILED',
      `port ${fixedPort} is already in use by another process; stop it, or pass another \`--port\`.`,
    );
  }
  const port = fixedPort ?? (await findFreePort());
  // Servers that take their port as a flag (`--port 3000`, `-p 3000`) cannot read PORT: `{port}` is for them.
  const [file, ...args] = options.command.map((part) => part.replaceAll('{port}', String(port))) as [string, ...string[]];
  const baseEnv = options.env ?? process.env;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    NODE_OPTIONS: `${baseEnv.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim(),
    PORT: String(port),
  };
  const isWindows = process.platform === 'win32';
  const child = spawn(file, args, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the whole tree (npm → sh → node) can be killed with one signal.
    detached: !isWindows,
    windowsHide: true,
  });
  // If leakfinder dies without reaching stop() (even by SIGKILL), the watchdog ends the server's group.
  const watchdog = child.pid !== undefined && !isWindows ? startWatchdog(child.pid, { scratchDirectory: options.scratchDirectory }) : undefined;
  const commandText = [file, ...args].join(' ');
  const inspectorUrls: string[] = [];
  const stderrTail: string[] = [];
  const sessions: InspectorSession[] = [];
  let exitDescription: string | undefined;
  let resolveExited!: (description: string) => void;
  const exited = new Promise<string>((resolve) => (resolveExited = resolve));
  let spawnError: Error | undefined;

  child.once('error', (error) => {
    spawnError = error;
    resolveExited(`could not start: ${error.message}`);
  });
  child.once('exit', (code, signal) => {
    exitDescription = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
    resolveExited(exitDescription);
  });
  readLines(child, 'stdout', (line) => {
    if (!inspectorBanner.test(line)) options.onOutput?.('stdout', line);
  });
  readLines(child, 'stderr', (line) => {
    const match = /^Debugger listening on (ws:\/\/\S+)/.exec(line);
    if (match) inspectorUrls.push(match[1]!);
    // With a session attached, Node waits at exit until it closes: close ours so a crash ends the process.
    if (line.startsWith('Waiting for the debugger to disconnect')) for (const s of sessions) s.close();
    if (inspectorBanner.test(line)) return;
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    options.onOutput?.('stderr', line);
  });

  let stopped = false;
  const killTree = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      if (isWindows) spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
      else process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // If leakfinder itself dies without reaching stop(), do not leave the server behind.
  const onProcessExit = (): void => {
    killTree('SIGKILL');
    watchdog?.release();
  };
  process.once('exit', onProcessExit);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const s of sessions) s.close();
    if (exitDescription === undefined && spawnError === undefined) {
      killTree('SIGTERM');
      // A timer left running here would keep leakfinder alive for 3 s after its report, with no signal
      // handler left: a Ctrl-C then killed it with 130 (issue #11).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 3_000)))]);
      clearTimeout(timer);
    }
    // The root may have exited while children linger in its group: kill the group anyway.
    killTree('SIGKILL');
    watchdog?.release();
    process.off('exit', onProcessExit);
  };

  const host = options.url !== undefined ? new URL(options.url).hostname : '127.0.0.1';
  const baseUrl = options.url?.replace(/\/$/, '') ?? `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady({
      host,
      port,
      baseUrl,
      readyPath: options.readyPath,
      timeoutMs: options.startupTimeoutMs,
      signal: options.signal,
      failure: () => {
        if (spawnError !== undefined) {
          const code = (spawnError as NodeJS.ErrnoException).code;
          return new LeakfinderError(
            'LF_TARGET_START_FAILED',
            code === 'ENOENT'
              ? `command \`${file}\` not found: check the spelling and that it is on PATH (or give its path).`
              : `could not start \`${commandText}\`: ${spawnError.message}`,
            { cause: spawnError, usage: code === 'ENOENT' },
          );
        }
        if (exitDescription !== undefined) {
          const tail = stderrTail.slice(-5).join(' | ');
          const inUse = stderrTail.some((l) => l.includes('EADDRINUSE'));
          return new LeakfinderError(
            'LF_TARGET_START_FAILED',
            `server \`${commandText}\` ${exitDescription} before it listened on port ${port}` +
              (inUse ? ' (its port is already in use)' : '') +
              (tail ? `; its last stderr lines: ${tail}` : '; it wrote nothing to stderr.'),
          );
        }
        return undefined;
      },
    });
    const picked = await pickServingProcess(inspectorUrls, port, options.signal);
    sessions.push(picked.session);
    void picked.session.closed.then(() => {
      // The serving process may be a child (npm start): give its exit a moment to reach the root process,
      // so the report can say "exited with code 1" rather than "closed its inspector".
      setTimeout(() => {
        if (!stopped) resolveExited(exitDescription ?? 'closed its inspector connection (it probably exited)');
      }, 1_000).unref();
    });
    return {
      baseUrl,
      port,
      servingPid: picked.pid,
      inspectorUrl: picked.url,
      session: picked.session,
      exited,
      lastStderrLines: () => [...stderrTail],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readLines(child: ChildProcess, stream: 'stdout' | 'stderr', onLine: (line: string) => void): void {
  let buffered = '';
  const source = child[stream];
  if (!source) return;
  source.setEncoding('utf8');
  source.on('data', (text: string) => {
    buffered += text;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      onLine(buffered.slice(0, newline).replace(/\r$/, ''));
      buffered = buffered.slice(newline + 1);
    }
  });
  source.on('end', () => {
    if (buffered !== '') onLine(buffered);
    buffered = '';
  });
}

async function waitUntilReady(args: {
  host: string;
  port: number;
  baseUrl: string;
  readyPath: string | undefined;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  failure: () => LeakfinderError | undefined;
}): Promise<void> {
  const deadline = performance.now() + args.timeoutMs;
  for (;;) {
    const failed = args.failure();
    if (failed) throw failed;
    if (args.signal?.aborted) throw args.signal.reason as Error;
    if (await portAccepts(args.host, args.port)) {
      if (args.readyPath === undefined) return;
      const status = await statusOf(`${args.baseUrl}${args.readyPath}`);
      if (status !== undefined && status >= 200 && status < 400) return;
    }
    if (performance.now() > deadline) {
      throw new LeakfinderError(
        'LF_TARGET_NOT_READY',
        args.readyPath === undefined
          ? `server did not accept connections on ${args.host}:${args.port} within ${Math.round(args.timeoutMs / 1000)} s; make it listen on process.env.PORT, or pass \`--port\`/\`--url\` (or a longer \`--startup-timeout\`).`
          : `${args.baseUrl}${args.readyPath} did not answer 2xx/3xx within ${Math.round(args.timeoutMs / 1000)} s; check \`--ready-path\` (or a longer \`--startup-timeout\`).`,
      );
    }
    await delay(100);
  }
}

/** True when something accepts TCP connections on host:port. */
export function portAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function statusOf(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(undefined));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

/** Asks the OS for a free loopback port. Another process may take it before the server does (rare). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function portOfUrl(url: string): number {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LeakfinderError('LF_OPTION_INVALID', `\`--url\` must be a URL like http://127.0.0.1:3000, got ${JSON.stringify(url)}.`, { usage: true });
  }
  if (parsed.protocol !== 'http:') {
    throw new LeakfinderError('LF_OPTION_INVALID', `\`--url\` must use http://, got ${JSON.stringify(url)}.`, { usage: true });
  }
  return parsed.port === '' ? 80 : Number(parsed.port);
}

// Is a net.Server of this process listening on `port`? `_getActiveHandles` is undocumented but present in
// Node 18–24; when it is missing the answer is null and the caller falls back to the newest process.
const listensExpression = (port: number): string => `(() => { try {
  return { pid: process.pid, listens: process._getActiveHandles().some((h) => { try {
    if (!h || typeof h.address !== 'function' || typeof h.listen !== 'function') return false;
    const a = h.address(); return !!a && typeof a === 'object' && a.port === ${port};
  } catch { return false; } }) };
} catch { return { pid: process.pid, listens: null }; } })()`;

async function pickServingProcess(
  urls: readonly string[],
  port: number,
  signal: AbortSignal | undefined,
): Promise<{ url: string; pid: number; session: InspectorSession }> {
  if (urls.length === 0) {
    throw new LeakfinderError(
      'LF_INSPECTOR_FAILED',
      'the server serves, but no Node process of it opened an inspector: is it a Node.js program, and does it keep NODE_OPTIONS?',
    );
  }
  const candidates: { url: string; pid: number; listens: boolean | null; session: InspectorSession }[] = [];
  for (const url of urls) {
    try {
      const session = new InspectorSession(await connectWebSocket(url, { timeoutMs: 5_000, signal }));
      const answer = await evaluateValue<{ pid: number; listens: boolean | null }>(session, listensExpression(port), signal);
      candidates.push({ url, session, ...answer });
    } catch (error) {
      if (signal?.aborted) throw error;
      // a process of the tree that has already exited (a launcher); skip it
    }
  }
  const chosen = candidates.find((c) => c.listens === true) ?? candidates.at(-1);
  for (const c of candidates) if (c !== chosen) c.session.close();
  if (!chosen) {
    throw new LeakfinderError('LF_INSPECTOR_FAILED', `could not connect to any of the server's inspectors (${urls.join(', ')}).`);
  }
  return chosen;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
