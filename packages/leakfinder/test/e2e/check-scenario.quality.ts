// Quality bars of issue #15 (real traffic), run by `npm run test:quality`, not `npm test`: about 8-10 minutes
// on 2 busy cores (load average 20). Each fixture is a real server (express, node:http, ws) checked through `check()`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check, type CheckOptions } from '../../src/check/check.js';
import type { CheckReport } from '../../src/report/model.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const servers = join(packageDir, 'test/fixtures/servers');
const scenarios = join(packageDir, 'test/fixtures/scenarios');
const sizes = { warmup: 500, requests: 1_000 };

function run(server: string, options: Partial<CheckOptions> = {}): Promise<CheckReport> {
  return check({ command: [process.execPath, join(servers, server)], cwd: packageDir, ...sizes, ...options });
}

function summary(report: CheckReport): string {
  return `${report.verdict}: ${report.reason ?? ''} ${report.findings.map((f) => `${f.group} ${f.countPerRequest.toFixed(2)}/${report.unit ?? 'request'}`).join('; ')} ${report.warnings.join(' | ')}`;
}

test('login then POST: plain GETs see a clean server; the scenario finds OrderDraft held by the session Map', async () => {
  const plain = await run('session-cache-express.mjs');
  assert.equal(plain.verdict, 'clean', summary(plain));
  for (const scenario of ['login-then-post.mjs', 'login-then-post.ts']) {
    const report = await run('session-cache-express.mjs', { scenario: join(scenarios, scenario) });
    assert.equal(report.verdict, 'leak', `${scenario}: ${summary(report)}`);
    assert.equal(report.unit, 'iteration');
    const top = report.findings[0]!;
    assert.equal(top.className, 'OrderDraft', summary(report));
    assert.ok(Math.abs(top.countPerRequest - 1) < 0.05, summary(report));
    assert.match(top.holder?.description ?? '', /^Map `sessions` in module session-cache-express\.mjs$/);
    assert.equal(top.holder?.line, 19);
    assert.equal(report.requests.byStatus.failed, 0, summary(report));
  }
});

test('websocket: one ConnectionState kept per closed connection', async () => {
  const report = await run('ws-per-connection.mjs', { scenario: join(scenarios, 'ws-echo.mjs') });
  assert.equal(report.verdict, 'leak', summary(report));
  const top = report.findings[0]!;
  assert.equal(top.className, 'ConnectionState');
  assert.ok(Math.abs(top.countPerRequest - 1) < 0.05, summary(report));
  assert.match(top.holder?.description ?? '', /Array `closedConnections`/);
  assert.equal(report.scenario?.httpRequests, 0);
});

test('POST bodies: chunks kept in a module Set leak; the streaming twin that keeps nothing is clean', async () => {
  const body = randomBytes(16 * 1024);
  const leak = await run('leak-body-chunks.mjs', { method: 'POST', body });
  assert.equal(leak.verdict, 'leak', summary(leak));
  const top = leak.findings[0]!;
  assert.match(top.group, /Set `pendingChunks`/, summary(leak));
  assert.ok(top.countPerRequest >= 0.95, summary(leak));
  assert.ok(top.bytesPerRequest >= 16 * 1024, `${top.bytesPerRequest} bytes per request: the chunks' backing stores count`);
  const clean = await run('healthy-body-stream.mjs', { method: 'POST', body });
  assert.equal(clean.verdict, 'clean', summary(clean));
});

test('a route that leaks on about half its requests, at random: found at about 0.5 per request', async () => {
  const report = await run('leak-express-half.mjs');
  assert.equal(report.verdict, 'leak', summary(report));
  const trace = report.findings.find((f) => f.className === 'Trace');
  assert.ok(trace, summary(report));
  assert.ok(Math.abs(trace.countPerRequest - 0.5) < 0.1, summary(report));
  assert.match(trace.holder?.description ?? '', /`sampledTraces`/);
});

test('a route that makes about 10 MB of garbage per request and keeps none is clean', async () => {
  // Smaller sizes than the rest (10 MB per request is about 50 ms of CPU on a busy 2-core machine), but not
  // too small: with a warm-up of 100, V8's `(compiled code)` still grew (0.10/request) and was reported.
  const report = await run('healthy-garbage-10mb.mjs', { warmup: 300, requests: 400 });
  assert.equal(report.verdict, 'clean', summary(report));
});
