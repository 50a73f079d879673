/**
 * Attaching to a Node process that is already running (`watch`): by pid, opening its inspector the way
 * `node inspect -p` does (SIGUSR1 on Linux and macOS, `process._debugProcess` elsewhere), or by an inspector
 * address the user gives. Whoever opened the inspector is remembered, so {@link AttachedTarget.detach} leaves
 * the target as it was found.
 */
import { request } from 'node:http';
import { LeakfinderError } from '../errors.js';
import { evaluateValue } from '../inspector/heap.js';
import { InspectorSession } from '../inspector/session.js';
import { connectWebSocket } from '../inspector/websocket-transport.js';
import { inspectTargetProcess, listeningPorts, looksLikeNode } from './target-process.js';

/** A running Node process with an open CDP session. */
export interface AttachedTarget {
  readonly session: InspectorSession;
  /** The target's `process.pid` (as it reports it; in a container it may differ from ours). */
  readonly pid: number;
  readonly webSocketUrl: string;
  /** True when leakfinder opened the inspector (SIGUSR1); then `detach` closes it again. */
  readonly openedInspector: boolean;
  /** Node version of the target (`v20.20.2`). */
  readonly nodeVersion: string;
  /**
   * Closes the inspector if we opened it, then our connection. Never throws: a target that already exited
   * has nothing left to restore. Resolves with a line when something could not be restored.
   */
  detach(): Promise<string | null>;
}

/** Options of {@link attachToPid} and {@link attachToAddress}. */
export interface AttachOptions {
  /** How long to wait for the inspector to open after the signal (default 5 s). */
  readonly openTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

const kDefaultInspectorPort = 9229;

/**
 * Attaches to the Node process `pid` on this machine. Refuses (before any signal) a pid that does not exist,
 * belongs to another user or is not Node: SIGUSR1 kills a process that does not handle it.
 */
export async function attachToPid(pid: number, options: AttachOptions = {}): Promise<AttachedTarget> {
  const target = inspectTargetProcess(pid);
  if (!looksLikeNode(target)) {
    throw new LeakfinderError(
      'LF_ATTACH_FAILED',
      `pid ${pid} is \`${target.name}\`, not a Node.js process; leakfinder attaches to Node only (and sends it no signal).`,
      { usage: true },
    );
  }
  const flagPort = inspectPortFromArgs(target.commandLine);
  const portsBefore = listeningPorts(pid);
  // Already open (started with --inspect, or opened earlier): use it and leave it open afterwards.
  const known = [...new Set([flagPort ?? kDefaultInspectorPort, kDefaultInspectorPort])].filter((p) => p > 0);
  const openBefore = portsBefore === null ? known : known.filter((p) => portsBefore.has(p));
  // Started with `--inspect=…:0`: the port is one of its listening ports; ask each (only then, since the
  // question reaches the application's own ports too, as one 404 each).
  if (flagPort === 0 && portsBefore !== null) openBefore.push(...portsBefore);
  for (const port of openBefore) {
    const found = await connectIfPid(port, pid, options.signal);
    if (found) return attached(found.session, found.url, pid, false, found.version);
  }
  sendDebugSignal(pid);
  const deadline = performance.now() + (options.openTimeoutMs ?? 5_000);
  const tried = new Set<number>();
  while (performance.now() < deadline) {
    options.signal?.throwIfAborted();
    await delay(100);
    const now = listeningPorts(pid);
    const candidates = now === null ? known : [...now].filter((p) => !portsBefore?.has(p) && !tried.has(p));
    for (const port of candidates) {
      if (now !== null) tried.add(port);
      const found = await connectIfPid(port, pid, options.signal);
      if (found) return attached(found.session, found.url, pid, true, found.version);
    }
    try {
      process.kill(pid, 0);
    } catch {
      throw new LeakfinderError('LF_ATTACH_FAILED', `pid ${pid} exited while its inspector was being opened.`);
    }
  }
  const port = flagPort ?? kDefaultInspectorPort;
  const taken = port > 0 && (await inspectorTargets('127.0.0.1', port)) !== null;
  throw new LeakfinderError(
    'LF_ATTACH_FAILED',
    `pid ${pid} did not open its inspector within ${Math.round((options.openTimeoutMs ?? 5_000) / 1000)} s of SIGUSR1 ` +
      (taken ? `(port ${port} is taken by another process's inspector)` : `(port ${port} may be taken by another process; its stderr says so)`) +
      ': start it with `--inspect-port=0`, or with `--inspect` and use `watch --inspect`.',
  );
}

/**
 * Attaches to an inspector at `host:port` or a `ws://` URL. Only loopback addresses unless `allowRemote`:
 * an inspector is remote code execution for whoever reaches it.
 */
export async function attachToAddress(address: string, options: AttachOptions & { allowRemote?: boolean } = {}): Promise<AttachedTarget> {
  let url: URL;
  try {
    url = new URL(/^wss?:\/\//.test(address) ? address : `http://${address}`);
  } catch {
    throw new LeakfinderError('LF_OPTION_INVALID', `\`--inspect\` must be host:port or a ws:// URL, got ${JSON.stringify(address)}.`, { usage: true });
  }
  if (url.port === '' && !url.protocol.startsWith('ws')) {
    throw new LeakfinderError('LF_OPTION_INVALID', `\`--inspect\` needs a port (host:port), got ${JSON.stringify(address)}.`, { usage: true });
  }
  if (!isLoopback(url.hostname) && options.allowRemote !== true) {
    throw new LeakfinderError(
      'LF_ATTACH_FAILED',
      `\`--inspect ${address}\` is not on this machine; an inspector lets anyone who reaches it run code: pass \`--allow-remote\` if you mean it.`,
      { usage: true },
    );
  }
  let wsUrl = address;
  if (!url.protocol.startsWith('ws')) {
    const list = await inspectorTargets(url.hostname, Number(url.port));
    if (list === null) {
      throw new LeakfinderError('LF_ATTACH_FAILED', `no inspector answers at ${url.host}: is the process running, started with \`--inspect=${url.host}\`?`);
    }
    if (list.length === 0) throw new LeakfinderError('LF_ATTACH_FAILED', `the inspector at ${url.host} lists no target.`);
    wsUrl = list[0]!;
  }
  const session = new InspectorSession(await connectWebSocket(wsUrl, { timeoutMs: 5_000, signal: options.signal }));
  const identity = await identify(session, options.signal);
  return attached(session, wsUrl, identity.pid, false, identity.version);
}

function attached(session: InspectorSession, url: string, pid: number, openedInspector: boolean, nodeVersion: string): AttachedTarget {
  return {
    session,
    pid,
    webSocketUrl: url,
    openedInspector,
    nodeVersion,
    async detach() {
      if (session.isClosed) return null;
      if (!openedInspector) {
        session.close();
        return null;
      }
      // inspector.close() ends every session, ours included, so its reply never comes: send, then wait for the close.
      session
        .call(
          'Runtime.evaluate',
          { expression: "(globalThis.process.getBuiltinModule?.('inspector') ?? require('inspector')).close()", includeCommandLineAPI: true, silent: true },
          { timeoutMs: 3_000 },
        )
        .catch(() => undefined);
      const closed = await Promise.race([session.closed.then(() => true), delay(3_000).then(() => false)]);
      session.close();
      return closed ? null : `the inspector of pid ${pid} did not close; it stays open on ${new URL(url).host} until the process exits.`;
    },
  };
}

/** Connects to the inspector on 127.0.0.1:`port` if it belongs to `pid`; null otherwise (nothing left open). */
async function connectIfPid(port: number, pid: number, signal?: AbortSignal): Promise<{ session: InspectorSession; url: string; version: string } | null> {
  const urls = await inspectorTargets('127.0.0.1', port);
  for (const url of urls ?? []) {
    let session: InspectorSession | undefined;
    try {
      session = new InspectorSession(await connectWebSocket(url, { timeoutMs: 3_000, signal }));
      const identity = await identify(session, signal);
      if (identity.pid === pid) return { session, url, version: identity.version };
      session.close();
    } catch (error) {
      session?.close();
      if (LeakfinderError.is(error) && error.code === 'LF_ATTACH_FAILED') throw error;
      if (signal?.aborted) throw error;
    }
  }
  return null;
}

/**
 * Asks the target who it is, then whether its event loop turns: a target paused in a debugger still answers
 * `Runtime.evaluate` (V8 runs inspector messages of every session in its pause loop), but its setImmediate
 * never fires, which is said plainly.
 */
async function identify(session: InspectorSession, signal?: AbortSignal): Promise<{ pid: number; version: string }> {
  const notAnswering = (): never => {
    throw new LeakfinderError(
      'LF_ATTACH_FAILED',
      'the target does not answer its inspector within 5 s: is it paused in a debugger? Resume it and try again.',
    );
  };
  try {
    const identity = await Promise.race([
      evaluateValue<{ pid: number; version: string }>(session, '({ pid: process.pid, version: process.version })', signal),
      delay(5_000).then(notAnswering),
    ]);
    const turns = session
      .call('Runtime.evaluate', { expression: 'new Promise((resolve) => setImmediate(() => resolve(true)))', awaitPromise: true, returnByValue: true, silent: true }, { signal, timeoutMs: 5_000 })
      .then(() => true, () => false);
    if (!(await turns)) notAnswering();
    return identity;
  } catch (error) {
    session.close();
    throw error;
  }
}

/** The `webSocketDebuggerUrl`s of `/json/list` at host:port; null when nothing (or no inspector) answers. */
function inspectorTargets(host: string, port: number): Promise<string[] | null> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/json/list', timeout: 1_500 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (t: string) => (text += t));
      res.on('end', () => {
        try {
          const list = JSON.parse(text) as { webSocketDebuggerUrl?: string }[];
          resolve(Array.isArray(list) ? list.flatMap((t) => (typeof t.webSocketDebuggerUrl === 'string' ? [t.webSocketDebuggerUrl] : [])) : null);
        } catch {
          resolve(null);
        }
      });
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** Opens the inspector of `pid`: SIGUSR1 on POSIX (Node's handler), the remote-thread helper on Windows. */
function sendDebugSignal(pid: number): void {
  try {
    if (process.platform === 'win32') (process as unknown as { _debugProcess(pid: number): void })._debugProcess(pid);
    else process.kill(pid, 'SIGUSR1');
  } catch (error) {
    throw new LeakfinderError('LF_ATTACH_FAILED', `could not ask pid ${pid} to open its inspector: ${(error as Error).message}`, { cause: error });
  }
}

/** `--inspect-port=N`, `--inspect=[host:]N`, `--inspect-brk=…` among a command line's flags. */
export function inspectPortFromArgs(args: readonly string[]): number | undefined {
  for (const arg of args) {
    const m = /^--inspect(?:-brk|-port|-wait)?=(?:.*:)?(\d+)$/.exec(arg);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
