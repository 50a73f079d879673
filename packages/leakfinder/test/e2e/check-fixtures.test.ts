// `check` end to end on real express 4 / fastify / koa fixture servers, with the default run sizes (about
// 15 s each on 2 cores). The full quality bar (every fixture, 10 runs each) is check-fixtures.quality.ts.
import assert from 'node:assert/strict';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check, type CheckOptions } from '../../src/check/check.js';
import type { CheckReport } from '../../src/report/model.js';
import { runCli } from '../helpers/run-cli.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(packageDir, 'test/fixtures/servers');
const tsx = join(packageDir, '../../node_modules/.bin/tsx');

function checkFixture(file: string, options: Partial<CheckOptions> = {}): Promise<CheckReport> {
  const command = file.endsWith('.ts') ? [tsx, join(fixtures, file)] : [process.execPath, join(fixtures, file)];
  return check({ command, cwd: packageDir, ...options });
}

function summary(report: CheckReport): string {
  return `${report.verdict}: ${report.reason ?? ''} ${report.findings.map((f) => `${f.group} ${f.countPerRequest.toFixed(2)}/req`).join('; ')}`;
}

test('express: a module-level array of records is a leak of 1 object per request, held by `seen`', async () => {
  const keep = await mkdtemp(join(tmpdir(), 'lf-keep-'));
  try {
    const report = await checkFixture('leak-express-array.mjs', { keepSnapshotsDir: keep });
    assert.equal(report.verdict, 'leak', summary(report));
    const top = report.findings[0]!;
    assert.equal(top.kind, 'per-request-growth');
    assert.ok(Math.abs(top.countPerRequest - 1) < 0.05, summary(report));
    assert.match(top.holder?.description ?? '', /`seen`/);
    assert.equal(top.holder?.line, 4, 'the holder names the line declaring `seen` (fixture line 4)');
    assert.equal(top.retainerPath[0], '(GC roots)');
    assert.ok(top.fitR2 > 0.99);
    // default --alloc-stacks rerun: the exact allocation stack from the short traced second run (#12)
    assert.equal(top.creationSite?.foundBy, 'allocation-stack', JSON.stringify(top.creationSite));
    assert.match(top.creationSite?.file ?? '', /leak-express-array\.mjs$/);
    assert.equal(top.creationSite?.line, 7, 'seen.push({ path, at }) is fixture line 7');
    assert.equal(report.requests.byStatus['2xx'], report.requests.warmup + report.requests.measured);
    assert.ok(report.checkpoints.length >= 5);
    // --keep-snapshots: one private folder, one 0600 file per checkpoint, no partial files.
    assert.equal(report.snapshots.kept, true);
    assert.equal(report.snapshots.files.length, report.checkpoints.length);
    assert.equal(statSync(report.snapshots.directory).mode & 0o777, 0o700);
    for (const f of report.snapshots.files) assert.equal(statSync(f).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(report.snapshots.directory).filter((f) => !f.endsWith('.heapsnapshot')), []);
  } finally {
    rmSync(keep, { recursive: true, force: true });
  }
});

test('express: hello world is clean', async () => {
  const report = await checkFixture('healthy-express.mjs');
  assert.equal(report.verdict, 'clean', summary(report));
  assert.equal(report.findings.length, 0);
  assert.equal(report.snapshots.kept, false);
});

test('express: one object per 10 requests is found, at about 0.1 per request', async () => {
  const report = await checkFixture('leak-express-tenth.mjs');
  assert.equal(report.verdict, 'leak', summary(report));
  const audit = report.findings.find((f) => f.className === 'AuditEntry');
  assert.ok(audit, summary(report));
  assert.ok(Math.abs(audit.countPerRequest - 0.1) < 0.02, summary(report));
});

test('express: a bounded LRU cache at capacity is clean', async () => {
  const report = await checkFixture('healthy-express-lru.mjs', { paths: ['/item/{n}'] });
  assert.equal(report.verdict, 'clean', summary(report));
});

test('fastify: a module-level Set of `Visit` objects is a leak', async () => {
  const report = await checkFixture('leak-fastify-set.mjs');
  assert.equal(report.verdict, 'leak', summary(report));
  assert.equal(report.findings[0]!.className, 'Visit');
  assert.match(report.findings[0]!.group, /Set `visits`/);
});

test('koa: hello world is clean', async () => {
  const report = await checkFixture('healthy-koa.mjs');
  assert.equal(report.verdict, 'clean', summary(report));
});

test('koa: a listener per request on a long-lived emitter is a leak held by the emitter', async () => {
  const report = await checkFixture('leak-koa-listener.mjs');
  assert.equal(report.verdict, 'leak', summary(report));
  assert.match(report.findings[0]!.holder?.description ?? '', /listener/);
  assert.match(report.findings[0]!.advice, /listener/);
});

test('TypeScript under tsx: the serving process is found among tsx\'s two, and its Map leak named', async () => {
  const report = await checkFixture('leak-express-ts.ts');
  assert.equal(report.verdict, 'leak', summary(report));
  assert.equal(report.findings[0]!.className, 'UserSession');
});

test('`leakfinder demo` finds the leak of the bundled example and exits 0', async () => {
  const r = await runCli(['demo'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /LEAK/);
  assert.match(r.stdout, /RequestLog/);
  assert.match(r.stdout, /`recentRequests`/);
});
