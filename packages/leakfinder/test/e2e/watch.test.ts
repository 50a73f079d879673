// `leakfinder watch` on servers that were started with plain `node server.js` and are driven by the test's
// own load loop (mixed routes, POST bodies). Sampling mode here; snapshot mode and longer runs are in
// watch.quality.ts. Port 9229 is what SIGUSR1 opens, so these tests run one at a time.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { listeningPorts } from '../../src/runner/target-process.js';
import { runCli } from '../helpers/run-cli.js';
import { driveLoad, send, startWatchTarget } from '../helpers/watch-target.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const server = join(packageDir, 'test/fixtures/watch/orders-server.mjs');
const bin = join(packageDir, 'bin/leakfinder.js');

/** leakfinder's own one-line messages (not progress). */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('leakfinder: ') && !/^leakfinder: (attached|sampling mode|snapshot mode|checkpoint|detached|one final|explaining|no HTTP)/.test(l));
}

test('watch --pid finds the leak of a running server (class, holder, site) and leaves it as it found it', async () => {
  const target = await startWatchTarget(server, { LEAK: '1' });
  const dir = mkdtempSync(join(tmpdir(), 'lf-watch-test-'));
  try {
    const before = await target.stats();
    const portsBefore = listeningPorts(target.pid);
    const load = driveLoad(target.port);
    const json = join(dir, 'watch.json');
    const r = await runCli(['watch', '--pid', String(target.pid), '--every', '250', '--requests', '2000', '--sampling-interval', '1024', '--min-gap', '0', '--json', json], { timeoutMs: 150_000 });
    await load.stop();
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(report.command, 'watch');
    assert.equal(report.unit, 'request');
    assert.equal(report.verdict, 'leak');
    assert.ok(report.requests.measured >= 2000);
    assert.equal(report.watch.target.openedInspector, true);
    assert.equal(report.watch.restored, true);
    const order = report.findings.find((f: { className: string }) => f.className === 'Order');
    assert.ok(order, JSON.stringify(report.findings.map((f: { group: string }) => f.group)));
    assert.match(order.holder.description, /Map `orders`/);
    assert.match(order.creationSite.file, /orders-server\.mjs$/);
    const orderLines = readFileSync(server, 'utf8').split('\n').flatMap((l, i) => (l.includes('new Order(') ? [i + 1] : []));
    assert.ok(orderLines.includes(order.creationSite.line), `created at line ${order.creationSite.line}, not a \`new Order(\` line (${orderLines.join(', ')})`);
    assert.ok(order.bytesPerRequest > 5);
    assert.match(r.stdout, /LEAK/);
    // Afterwards: still serving, the inspector closed, no subscriber or global of ours left.
    assert.equal((await send(target.port, 'GET', '/health')).status, 200);
    const after = await target.stats();
    assert.deepEqual(after, before);
    assert.equal(after['inspectorUrl'], null);
    assert.deepEqual(listeningPorts(target.pid), portsBefore);
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the healthy twin under the same traffic is clean', async () => {
  const target = await startWatchTarget(server, { LEAK: '0' });
  try {
    const before = await target.stats();
    const load = driveLoad(target.port);
    // 8 s with a checkpoint at every counter read (~4 a second): well over 10 checkpoints on any machine, so the
    // live-heap net (heap-growth.ts) judges too, on a server watched from its first request, still warming up.
    const r = await runCli(['watch', '--pid', String(target.pid), '--every', '50', '--duration', '8s', '--sampling-interval', '1024', '--min-gap', '0'], { timeoutMs: 120_000 });
    await load.stop();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /CLEAN/);
    assert.ok((r.stderr.match(/checkpoint \d+ at/g) ?? []).length >= 10, r.stderr);
    assert.deepEqual(await target.stats(), before);
  } finally {
    await target.stop();
  }
});

// V8's sampling profiler stops sampling the worker's `Job` once TurboFan inlines its constructor (docs/watch.md);
// the live heap after each checkpoint's full GC still shows the leak, and stays flat for the healthy twin. Both
// twins are watched at once, each with `--inspect-port=0` so their SIGUSR1 inspectors do not
// both want 9229. The net judges the later half of at least 10 checkpoints (heap-growth.ts): 45 s at 3 s.
test('sampling mode, --per time, a queue worker: the leaking one is found by the live heap\'s unexplained growth, its healthy twin is clean', async () => {
  const file = join(packageDir, 'test/fixtures/watch/queue-worker.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'lf-watch-test-'));
  const targets = await Promise.all(['1', '0'].map((leak) => startWatchTarget(file, { LEAK: leak }, [process.execPath, '--inspect-port=0'])));
  try {
    const runs = await Promise.all(
      targets.map(async (target, i) => {
        const json = join(dir, `r${i}.json`);
        const r = await runCli(['watch', '--pid', String(target.pid), '--per', 'time', '--every', '3s', '--min-gap', '3s', '--duration', '45s', '--json', json], { timeoutMs: 120_000 });
        return { r, report: JSON.parse(readFileSync(json, 'utf8')) };
      }),
    );
    const [leaky, healthy] = runs as [(typeof runs)[number], (typeof runs)[number]];
    assert.equal(leaky.report.watch.mode, 'sampling');
    assert.equal(leaky.r.code, 1, leaky.r.stderr);
    const heap = leaky.report.findings.find((f: { className: string }) => f.className === '(live heap)');
    assert.ok(heap, JSON.stringify(leaky.report.findings.map((f: { className: string }) => f.className)));
    // ~200 jobs a second of ~150 bytes each
    assert.ok(heap.bytesPerRequest > 5_000 && heap.bytesPerRequest < 100_000, String(heap.bytesPerRequest));
    assert.match(heap.advice, /--mode snapshot/);
    assert.equal(healthy.r.code, 0, healthy.r.stdout + healthy.r.stderr);
    assert.equal(healthy.report.findings.length, 0);
  } finally {
    await Promise.all(targets.map((t) => t.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pid that does not exist: one line, exit 2, and the --json report says why', async () => {
  let pid = 4_000_000;
  while (existsSync(`/proc/${pid}`)) pid++;
  const dir = mkdtempSync(join(tmpdir(), 'lf-watch-test-'));
  try {
    const r = await runCli(['watch', '--pid', String(pid), '--json', join(dir, 'r.json')]);
    assert.equal(r.code, 2);
    assert.deepEqual(errorLines(r.stderr), [`leakfinder: no process with pid ${pid}: check the pid (\`pgrep -af node\` lists Node processes).`]);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.verdict, 'inconclusive');
    assert.match(report.reason, /no process with pid/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a process that is not Node gets no signal: one line, exit 2, still running', async () => {
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const r = await runCli(['watch', '--pid', String(sleeper.pid)]);
    assert.equal(r.code, 2);
    assert.deepEqual(errorLines(r.stderr), [`leakfinder: pid ${sleeper.pid} is \`sleep\`, not a Node.js process; leakfinder attaches to Node only (and sends it no signal).`]);
    assert.equal(sleeper.exitCode, null);
    assert.equal(sleeper.signalCode, null);
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test("another user's process: one line naming the uids, exit 2, target untouched", { skip: process.getuid?.() !== 0 && 'needs root to run leakfinder as `nobody`' }, async () => {
  const target = await startWatchTarget(server, { LEAK: '0' });
  try {
    // leakfinder runs as nobody (uid 65534); the target belongs to root.
    const r = await new Promise<{ code: number | null; stderr: string }>((resolvePromise) => {
      const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, 'watch', '--pid', String(target.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
      child.on('close', (code) => resolvePromise({ code, stderr }));
    });
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(errorLines(r.stderr), [`leakfinder: pid ${target.pid} belongs to another user (uid 0; you are uid 65534): run leakfinder as that user (or root) to attach to it.`]);
    assert.equal((await target.stats())['inspectorUrl'], null);
  } finally {
    await target.stop();
  }
});

test('a target paused in a debugger: one line, exit 2, and it runs on once resumed', async () => {
  const target = await startWatchTarget(server, { LEAK: '0' }, [process.execPath, '--inspect=127.0.0.1:0']);
  try {
    const url = (await target.stats())['inspectorUrl'] as string;
    const debuggerSocket = new WebSocket(url);
    await new Promise((r) => debuggerSocket.once('open', r));
    let id = 0;
    const call = (method: string): void => debuggerSocket.send(JSON.stringify({ id: ++id, method }));
    call('Debugger.enable');
    call('Debugger.pause');
    const pending = send(target.port, 'GET', '/health').catch((e: Error) => ({ status: 0, body: e.message })); // runs JS, which pauses
    const started = performance.now();
    const r = await runCli(['watch', '--pid', String(target.pid)], { timeoutMs: 60_000 });
    assert.ok(performance.now() - started < 30_000);
    assert.equal(r.code, 2);
    assert.deepEqual(errorLines(r.stderr), ['leakfinder: the target does not answer its inspector within 5 s: is it paused in a debugger? Resume it and try again.']);
    call('Debugger.resume');
    await pending; // answered or reset: either way the target runs on
    debuggerSocket.close();
    assert.equal((await send(target.port, 'GET', '/health')).status, 200);
    // The inspector was open before watch; it stays open.
    assert.equal((await target.stats())['inspectorUrl'], url);
  } finally {
    await target.stop();
  }
});

test('the target exits mid-watch: exit 2, a report of what was measured', async () => {
  const target = await startWatchTarget(server, { LEAK: '1' });
  const dir = mkdtempSync(join(tmpdir(), 'lf-watch-test-'));
  try {
    const load = driveLoad(target.port);
    const json = join(dir, 'r.json');
    const child = spawn(process.execPath, [bin, 'watch', '--pid', String(target.pid), '--every', '200', '--json', json], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    // Killed once watch is measuring (not while it opens the inspector, which is another ending: a fast
    // machine sent the requests this test once waited for before watch had attached).
    while (!/checkpoint 1 /.test(stderr)) await new Promise((r) => setTimeout(r, 100));
    target.child.kill('SIGTERM');
    const code = await closed;
    await load.stop();
    assert.equal(code, 2, stderr);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(report.verdict, 'inconclusive');
    assert.match(report.reason, new RegExp(`the target \\(pid ${target.pid}\\) exited`));
    assert.equal(report.watch.endedBy, 'target-exited');
    assert.ok(report.requests.measured > 0);
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Ctrl-C ends the watch: the verdict of what was measured, the target restored and serving', async () => {
  const target = await startWatchTarget(server, { LEAK: '0' });
  try {
    const before = await target.stats();
    const load = driveLoad(target.port);
    const child = spawn(process.execPath, [bin, 'watch', '--pid', String(target.pid), '--every', '200'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    // The default spacing (--min-gap auto): a busy target's checkpoints come at least 5 s apart, since each
    // profile read is a full GC in it; the lines appear after each read, so allow for one read's time.
    while (!/checkpoint 0 /.test(stderr)) await new Promise((r) => setTimeout(r, 100));
    const firstAt = performance.now();
    while (!/checkpoint 1 /.test(stderr)) await new Promise((r) => setTimeout(r, 100));
    assert.ok(performance.now() - firstAt >= 4_000, `checkpoints 0 and 1 came ${Math.round(performance.now() - firstAt)} ms apart: ${stderr}`);
    assert.match(stderr, /every 200 requests and at least 5 s apart/);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    await load.stop();
    assert.equal(code, 2, stderr);
    assert.match(stdout, /INCONCLUSIVE/);
    assert.match(stdout, /checkpoint\(s\) were measured and a verdict needs 5/);
    assert.deepEqual(await target.stats(), before);
  } finally {
    await target.stop();
  }
});

test('--inspect refuses an address that is not loopback without --allow-remote', async () => {
  const r = await runCli(['watch', '--inspect', '10.1.2.3:9229']);
  assert.equal(r.code, 2);
  assert.deepEqual(errorLines(r.stderr), [
    'leakfinder: `--inspect 10.1.2.3:9229` is not on this machine; an inspector lets anyone who reaches it run code: pass `--allow-remote` if you mean it.',
  ]);
});



const cgroupRoot = '/sys/fs/cgroup/memory';
const canCgroup = process.getuid?.() === 0 && existsSync(`${cgroupRoot}/memory.limit_in_bytes`);

test('safe capture: a target in a cgroup whose limit a snapshot would pass survives, and watch says why it took none', { skip: !canCgroup && 'needs root and a cgroup v1 memory controller' }, async () => {
  // ~40 MB of small objects: V8 needs ~16x that in native memory to build a snapshot (docs/watch.md).
  const target = await startWatchTarget(server, { LEAK: '0', BALLAST: '400000' });
  const group = `${cgroupRoot}/leakfinder-watch-test-${process.pid}`;
  mkdirSync(group);
  const dir = mkdtempSync(join(tmpdir(), 'lf-watch-test-'));
  try {
    // cgroup v1 charges only what the process allocates after the move: 160 MiB more is its room.
    writeFileSync(`${group}/memory.limit_in_bytes`, String(160 * 1024 * 1024));
    writeFileSync(`${group}/cgroup.procs`, String(target.pid));
    const load = driveLoad(target.port);
    const json = join(dir, 'r.json');
    const r = await runCli(['watch', '--pid', String(target.pid), '--mode', 'snapshot', '--every', '200', '--requests', '1200', '--json', json], { timeoutMs: 120_000 });
    await load.stop();
    assert.equal(r.code, 0, r.stderr);
    const line = r.stderr.split('\n').find((l) => l.includes('snapshot 0 not taken'));
    assert.match(line ?? '', /^leakfinder: snapshot 0 not taken: a snapshot needs about \d+(\.\d)? MiB \(16x the \d+(\.\d)? MiB heap\) but cgroup v1 \/leakfinder-watch-test-\d+ \(limit \d+(\.\d)? MiB\) leaves \d+(\.\d)? MiB; going on in sampling mode$/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(report.watch.mode, 'snapshot');
    assert.equal(report.watch.endedInMode, 'sampling');
    assert.equal(report.checkpoints.length, 0);
    assert.equal(readFileSync(`${group}/memory.failcnt`, 'utf8').trim(), '0');
    assert.equal((await send(target.port, 'GET', '/health')).status, 200);
    assert.equal((await target.stats())['ballast'], 400000);
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
    rmdirSync(group); // an empty cgroup is removed with rmdir (its control files go with it)
  }
});

test('--ui: a live page on 127.0.0.1 whose counts update in Chromium; a wrong token gets 403', async () => {
  const target = await startWatchTarget(server, { LEAK: '1' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    // Paced (4 workers, 20 ms apart: at most ~200 requests/s), so the run spans several of the page's polls
    // however fast the machine is; unpaced, a quiet machine served all 1,600 requests within one poll.
    const load = driveLoad(target.port, 20);
    const child = spawn(process.execPath, [bin, 'watch', '--pid', String(target.pid), '--ui', '--every', '200', '--requests', '1600', '--sampling-interval', '1024', '--min-gap', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    while (!/live page: (\S+)/.test(stderr)) await new Promise((r) => setTimeout(r, 100));
    const url = new URL(/live page: (\S+)/.exec(stderr)![1]!);
    assert.equal(url.hostname, '127.0.0.1');
    const wrong = await fetch(`${url.origin}/report.json?token=nope`);
    assert.equal(wrong.status, 403);
    assert.equal((await fetch(`${url.origin}/`)).status, 403);
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(url.origin)) external.push(req.url());
    });
    await page.goto(url.href);
    // The page polls /report.json; the measured request count in the report it draws must rise.
    const seen = new Set<string>();
    const deadline = performance.now() + 60_000;
    while (seen.size < 3 && performance.now() < deadline) {
      const text = await page.locator('#app').innerText();
      const count = /([\d,]+)\s+measured/.exec(text)?.[1];
      if (count !== undefined) seen.add(count);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    assert.ok(seen.size >= 3, `the page showed ${[...seen].join(', ')}`);
    assert.match(await page.locator('#live').innerText(), /live: updated/);
    assert.deepEqual(external, []);
    const code = await closed;
    await load.stop();
    assert.equal(code, 1, stderr);
  } finally {
    await browser.close();
    await target.stop();
  }
});
