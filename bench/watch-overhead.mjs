// What `leakfinder watch` costs a busy server (issue #14). Not a test: it prints numbers.
//
//   npm run build && node bench/watch-overhead.mjs [--seconds 10] [--rounds 6] [--concurrency 16] [--intervals auto|1024,16384,65536] [--skip sampling,isolated,snapshot]
//
// 1. Sampling mode: the fixture server (test/fixtures/watch/orders-server.mjs, express, plain `node`) under a
//    closed-loop load of our own (keep-alive, N in flight, mixed GET/POST). R rounds of S seconds without watch,
//    S seconds with `watch --pid` (its defaults) attached, S seconds without again. Prints requests/s and the
//    target's CPU per request of each phase, the ratios (median over rounds), an A/A control, and the longest
//    event-loop pause inside the target (perf_hooks.monitorEventLoopDelay, read from the fixture).
//    Goals: at most 5% fewer requests/s, no pause above 100 ms.
// 2. Snapshot mode: the same server with 0, 100k and 400k small objects of ballast; `watch --mode snapshot`
//    under light load; prints the pause per checkpoint (forced GC + snapshot) against the heap size.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'packages/leakfinder');
const server = join(pkg, 'test/fixtures/watch/orders-server.mjs');
const bin = join(pkg, 'bin/leakfinder.js');
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '6' }, concurrency: { type: 'string', default: '16' }, skip: { type: 'string', default: '' }, intervals: { type: 'string', default: 'auto' }, ballast: { type: 'string', default: '0,100000,400000' } } });
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

function startServer(env) {
  const child = spawn(process.execPath, [server], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t) => {
      out += t;
      const m = /listening (\d+)/.exec(out);
      if (m) resolvePromise({ child, port: Number(m[1]), pid: child.pid });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function send(port, method, path, body) {
  return new Promise((resolvePromise) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise(res.statusCode));
    });
    req.on('error', () => resolvePromise(0));
    req.end(body);
  });
}

async function eld(port) {
  return new Promise((resolvePromise) => {
    request({ host: '127.0.0.1', port, path: '/__eld', agent }, (res) => {
      let t = '';
      res.setEncoding('utf8').on('data', (c) => (t += c));
      res.on('end', () => resolvePromise(JSON.parse(t)));
    }).end();
  });
}

/** Closed loop for `ms`: requests completed per second. */
async function drive(port, ms, { pace = 0 } = {}) {
  const end = performance.now() + ms;
  let done = 0;
  let n = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const k = n++;
      if (k % 4 === 1) await send(port, 'POST', '/orders', JSON.stringify({ id: `p${k}`, items: [k] }));
      else await send(port, 'GET', k % 8 === 3 ? '/health' : `/orders/${k}`);
      done++;
      if (pace > 0) await new Promise((r) => setTimeout(r, pace));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - started) / 1000);
}

function startWatch(pid, args) {
  const child = spawn(process.execPath, [bin, 'watch', '--pid', String(pid), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t) => (stderr += t));
  const closed = new Promise((r) => child.on('close', (code) => r(code)));
  return { child, closed, stderr: () => stderr };
}

async function waitFor(predicate) {
  while (!predicate()) await new Promise((r) => setTimeout(r, 100));
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** CPU seconds (user + system) a process has used so far. */
const cpuSecondsOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (ratio) => `${ratio >= 1 ? '+' : ''}${fmt((ratio - 1) * 100, 1)}%`;

for (const interval of values.skip.includes('sampling') ? [] : values.intervals.split(',').map((v) => (v === 'auto' ? v : Number(v)))) {
  // Each round is without / with / without (A B A): the ratio is "with" over the mean of its two neighbours, which
  // cancels a drift of the machine's speed within the round, and the two "without" phases against each other are
  // an A/A control that shows how large a change this machine makes on its own.
  console.log(`sampling mode, --sampling-interval ${interval} (auto: watch's choice by the request rate), watch's defaults otherwise: ${rounds} rounds of ${seconds} s without, with, without watch; ${concurrency} in flight`);
  const target = await startServer({ LEAK: '0' });
  await drive(target.port, 5_000); // warm-up: JIT, pools
  const rows = [];
  const phase = async () => {
    await eld(target.port);
    const cpu0 = cpuSecondsOf(target.pid);
    const started = performance.now();
    const rps = await drive(target.port, seconds * 1000);
    const cpuPerRequestUs = ((cpuSecondsOf(target.pid) - cpu0) / (rps * (performance.now() - started) / 1000)) * 1e6;
    return { rps, cpuPerRequestUs, pauseMs: (await eld(target.port)).maxMs };
  };
  for (let round = 0; round < rounds; round++) {
    const before = await phase();
    const watch = startWatch(target.pid, ['--duration', `${seconds + 60}s`, ...(interval === 'auto' ? [] : ['--sampling-interval', String(interval)])]);
    await waitFor(() => /checkpoint 0 /.test(watch.stderr()));
    await drive(target.port, 1_000); // the attach is not what is measured
    const during = await phase();
    // The watcher's own CPU (user + system, clock ticks of 10 ms): on a 2-core machine it competes with the
    // target and the load generator, which a production server (load elsewhere, more cores) would not see.
    const watcherCpuS = cpuSecondsOf(watch.child.pid);
    watch.child.kill('SIGINT');
    await watch.closed;
    const after = await phase();
    const profileReads = [...watch.stderr().matchAll(/profile read in (\d+) ms/g)].map((m) => Number(m[1]));
    const row = { ratio: during.rps / ((before.rps + after.rps) / 2), control: after.rps / before.rps, before, during, after, profileReads, watcherCpuS };
    rows.push(row);
    console.log(
      `  round ${round + 1}: ${fmt(before.rps)} / ${fmt(during.rps)} / ${fmt(after.rps)} req/s without / with / without: ${pct(row.ratio)} (A/A ${pct(row.control)}); ` +
        `target CPU per request ${fmt(before.cpuPerRequestUs)} / ${fmt(during.cpuPerRequestUs)} / ${fmt(after.cpuPerRequestUs)} µs; longest loop pause ${fmt(during.pauseMs)} ms with, ${fmt(Math.max(before.pauseMs, after.pauseMs))} ms without; ` +
        `profile reads (incl. the first) ${profileReads.join(', ')} ms; the watch process used ${fmt(watcherCpuS, 1)} s of CPU`,
    );
  }
  const cpuRatio = rows.map((r) => r.during.cpuPerRequestUs / ((r.before.cpuPerRequestUs + r.after.cpuPerRequestUs) / 2));
  console.log(
    `  median of ${rounds} rounds: requests/s with watch ${pct(median(rows.map((r) => r.ratio)))} (goal ≥ -5%); target CPU per request ${pct(median(cpuRatio))}; ` +
      `A/A control (no watch in either phase) ${pct(median(rows.map((r) => r.control)))}, its spread ${pct(Math.min(...rows.map((r) => r.control)))} to ${pct(Math.max(...rows.map((r) => r.control)))}; ` +
      `longest pause with watch ${fmt(Math.max(...rows.map((r) => r.during.pauseMs)))} ms (goal ≤ 100 ms)`,
  );
  target.child.kill('SIGKILL');
}

if (!values.skip.includes('isolated')) {
  // The profiler's own cost, without a second process competing for the cores: attach from this process,
  // keep the counter polled, and alternate 10 s phases with and without the sampling profiler.
  const { attachToPid } = await import(join(pkg, 'dist/src/runner/attach.js'));
  const { installRequestCounter, readRequestCount, removeRequestCounter } = await import(join(pkg, 'dist/src/watch/request-counter.js'));
  const { startSamplingHeapProfiler } = await import(join(pkg, 'dist/src/inspector/allocation-tracking.js'));
  for (const interval of (values.intervals === 'auto' ? '16384,65536' : values.intervals).split(',').map(Number)) {
    const target = await startServer({ LEAK: '0' });
    await drive(target.port, 5_000);
    const attached = await attachToPid(target.pid);
    await installRequestCounter(attached.session);
    const poll = setInterval(() => readRequestCount(attached.session).catch(() => undefined), 250);
    let off = 0;
    let on = 0;
    let pauseOn = 0;
    for (let round = 0; round < rounds * 2; round++) {
      off += await drive(target.port, 10_000);
      await startSamplingHeapProfiler(attached.session, { samplingIntervalBytes: interval });
      await eld(target.port);
      on += await drive(target.port, 10_000);
      pauseOn = Math.max(pauseOn, (await eld(target.port)).maxMs);
      await attached.session.call('HeapProfiler.stopSampling');
    }
    clearInterval(poll);
    await removeRequestCounter(attached.session);
    await attached.detach();
    console.log(`sampling profiler alone, interval ${interval}: ${fmt(on / (rounds * 2))} vs ${fmt(off / (rounds * 2))} req/s = ${fmt((on / off - 1) * 100, 1)}% (${rounds * 2} alternating 10 s phases, counter attached in both); longest loop pause with it ${fmt(pauseOn)} ms`);
    target.child.kill('SIGKILL');
  }
}

if (!values.skip.includes('snapshot')) {
  console.log('snapshot mode: pause of the target per checkpoint (forced GC + heap snapshot) against its heap');
  for (const ballast of values.ballast.split(',').map(Number)) {
    const target = await startServer({ LEAK: '0', BALLAST: String(ballast) });
    const dir = mkdtempSync(join(tmpdir(), 'lf-bench-watch-'));
    const json = join(dir, 'r.json');
    await eld(target.port);
    const watch = startWatch(target.pid, ['--mode', 'snapshot', '--every', '400', '--requests', '1600', '--json', json]);
    const saved = concurrency;
    const load = (async () => {
      while (watch.child.exitCode === null) await drive(target.port, 1000, { pace: 5 });
    })();
    await watch.closed;
    await load;
    const pause = (await eld(target.port)).maxMs;
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const cps = report.checkpoints;
    const heap = cps.reduce((s, c) => s + c.heapUsedBytes, 0) / Math.max(1, cps.length);
    const ms = cps.map((c) => c.overheadMs);
    console.log(
      `  ballast ${fmt(ballast)} objects: heapUsed ${fmt(heap / 1048576, 1)} MiB, snapshot ${fmt((cps[0]?.snapshotBytes ?? 0) / 1048576, 1)} MiB; ` +
        `GC + snapshot per checkpoint ${fmt(Math.min(...ms))}–${fmt(Math.max(...ms))} ms (median ${fmt(ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? 0)}); longest loop pause inside the target ${fmt(pause)} ms`,
    );
    void saved;
    target.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
agent.destroy();
