// The quality bar of `watch` (issue #14): on the fixtures of check-fixtures.quality.ts, started with plain
// `node` and driven by a load loop of the test's own (someone else's load generator, as far as watch knows),
// `watch --pid` in snapshot mode must give check's verdicts; sampling mode must never call a healthy server
// leaking (its misses are printed, docs/watch.md says which kinds it cannot see). Plus a queue worker
// watched `--per time`. Run: npm run build && node scripts/run-tests.mjs --quality watch   (about 20 min)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/run-cli.js';
import { portOpen, send, startWatchTarget } from '../helpers/watch-target.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(packageDir, 'test/fixtures/servers');
const only = process.env.LF_QUALITY_ONLY;

interface Case {
  readonly file: string;
  readonly expected: 'leak' | 'clean';
  readonly className?: string;
  readonly paths?: readonly string[];
}

const cases: readonly Case[] = [
  { file: 'healthy-express.mjs', expected: 'clean' },
  { file: 'healthy-fastify.mjs', expected: 'clean' },
  { file: 'healthy-koa.mjs', expected: 'clean' },
  { file: 'healthy-express-lru.mjs', expected: 'clean', paths: ['/item/{n}'] },
  { file: 'healthy-express-logging.mjs', expected: 'clean' },
  { file: 'leak-express-array.mjs', expected: 'leak', className: 'Object' },
  { file: 'leak-express-map.mjs', expected: 'leak', className: 'Order', paths: ['/orders/{n}'] },
  { file: 'leak-express-tenth.mjs', expected: 'leak', className: 'AuditEntry' },
  { file: 'leak-express-closure.mjs', expected: 'leak', className: '(closure)' },
  { file: 'leak-fastify-set.mjs', expected: 'leak', className: 'Visit' },
  { file: 'leak-fastify-interval.mjs', expected: 'leak', className: 'Timeout' },
  { file: 'leak-koa-listener.mjs', expected: 'leak', className: '(closure)' },
  { file: 'leak-koa-class.mjs', expected: 'leak', className: 'RequestContext' },
];

const rows: string[] = [];
after(() => {
  console.log(['', 'fixture | expected | mode | verdict | classes found | wall s', ...rows].join('\n'));
});

function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => r(port));
    });
  });
}

/** Someone else's load: a closed loop over the fixture's paths, 4 in flight, until stopped. */
function load(port: number, paths: readonly string[]): { stop(): Promise<void> } {
  let stopped = false;
  let n = 0;
  const worker = async (): Promise<void> => {
    while (!stopped) {
      const k = n++;
      const path = paths[k % paths.length]!.replace('{n}', String(k));
      await send(port, 'GET', path).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  return {
    async stop() {
      stopped = true;
      await Promise.all(workers);
    },
  };
}

for (const c of cases.filter((c) => only === undefined || c.file.includes(only))) {
  for (const mode of ['snapshot', 'sampling'] as const) {
    test(`watch --mode ${mode} on ${c.file}: ${c.expected}`, async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [join(fixtures, c.file)], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
      const dir = mkdtempSync(join(tmpdir(), 'lf-watch-q-'));
      try {
        while (!(await portOpen(port))) await new Promise((r) => setTimeout(r, 100));
        const driver = load(port, c.paths ?? ['/']);
        const json = join(dir, 'r.json');
        const started = performance.now();
        // A warm server first: watch attaches to servers that have been running a while.
        await new Promise((r) => setTimeout(r, 3_000));
        // Sampling mode watches 6,000 requests (13 checkpoints): its live-heap net judges only the later half of
        // at least 10 (heap-growth.ts), and a sampling watch is cheap enough to run longer than snapshot mode's.
        const requests = mode === 'sampling' ? '6000' : '4000';
        const r = await runCli(['watch', '--pid', String(child.pid), '--mode', mode, '--every', '500', '--requests', requests, '--sampling-interval', '1024', '--min-gap', '0', '--json', json], { timeoutMs: 600_000 });
        await driver.stop();
        const report = JSON.parse(readFileSync(json, 'utf8'));
        const classes = [...new Set(report.findings.map((f: { className: string }) => f.className))] as string[];
        rows.push(`${c.file} | ${c.expected} | ${mode} | ${report.verdict} | ${classes.join(', ')} | ${((performance.now() - started) / 1000).toFixed(0)}`);
        assert.notEqual(r.code, null, 'watch did not finish');
        assert.equal(child.exitCode, null, 'the target died');
        if (c.expected === 'clean') assert.equal(report.verdict, 'clean', r.stderr);
        else if (mode === 'snapshot') {
          assert.equal(report.verdict, 'leak', r.stderr);
          assert.ok(classes.includes(c.className!), `found ${classes.join(', ')}`);
        }
      } finally {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

// Snapshot mode names the class: in sampling mode V8 stops sampling `Job` once TurboFan inlines its constructor,
// and only the live heap's growth shows the leak (docs/watch.md; test/e2e/watch.test.ts covers that).
test('watch --mode snapshot --per time on a queue worker that serves no HTTP finds the jobs it keeps', async () => {
  const target = await startWatchTarget(join(packageDir, 'test/fixtures/watch/queue-worker.mjs'), { LEAK: '1' });
  const dir = mkdtempSync(join(tmpdir(), 'lf-watch-q-'));
  try {
    const json = join(dir, 'r.json');
    const r = await runCli(['watch', '--pid', String(target.pid), '--mode', 'snapshot', '--per', 'time', '--every', '3s', '--duration', '30s', '--json', json], { timeoutMs: 120_000 });
    const report = JSON.parse(readFileSync(json, 'utf8'));
    rows.push(`queue-worker.mjs | leak | snapshot, per time | ${report.verdict} | ${report.findings.map((f: { className: string }) => f.className).join(', ')} | 30`);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(report.unit, 'second');
    assert.ok(report.findings.some((f: { className: string }) => f.className === 'Job'));
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
