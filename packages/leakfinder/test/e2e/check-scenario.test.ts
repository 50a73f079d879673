// `check --scenario` end to end through the CLI (issue #15), with small run sizes (about 40-60 s in all on 2 busy cores). The
// full quality bar (plain GETs clean on the same server, TypeScript scenario, body and random-half leaks,
// garbage) is check-scenario.quality.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CheckReport } from '../../src/report/model.js';
import { runCli } from '../helpers/run-cli.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const servers = join(packageDir, 'test/fixtures/servers');
const scenarios = join(packageDir, 'test/fixtures/scenarios');
const small = ['--warmup', '100', '--requests', '200'];

async function runScenario(t: { after: (fn: () => void) => void }, scenario: string, server: string, extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'lf-scenario-e2e-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const jsonPath = join(dir, 'report.json');
  const result = await runCli(
    ['check', ...small, ...extra, '--scenario', join(scenarios, scenario), '--json', jsonPath, '--', process.execPath, join(servers, server)],
    { timeoutMs: 120_000 },
  );
  let report: CheckReport | undefined;
  try {
    report = JSON.parse(readFileSync(jsonPath, 'utf8')) as CheckReport;
  } catch {
    report = undefined;
  }
  return { ...result, report };
}

test('login then POST: the session-bound cache grows by one OrderDraft per iteration, held by `sessions`', async (t) => {
  const { code, stdout, stderr, report } = await runScenario(t, 'login-then-post.mjs', 'session-cache-express.mjs');
  assert.equal(code, 1, `${stdout}\n${stderr}`);
  assert.ok(report);
  assert.equal(report.unit, 'iteration');
  const top = report.findings[0]!;
  assert.equal(top.className, 'OrderDraft', stdout);
  assert.ok(Math.abs(top.countPerRequest - 1) < 0.05, stdout);
  assert.match(top.holder?.description ?? '', /Map `sessions`/);
  assert.match(top.group, /Array `recentOrders` in UserSession/);
  // Two HTTP requests per iteration (POST /orders, GET /), the login in setup not counted.
  const iterations = report.requests.warmup + report.requests.measured;
  assert.equal(report.scenario?.httpRequests, 2 * iterations);
  assert.equal(report.scenario?.httpByStatus['2xx'], 2 * iterations);
  assert.equal(report.requests.byStatus['2xx'], iterations);
  assert.match(stdout, /^leakfinder check: LEAK: something grows with every iteration$/m);
  assert.match(stdout, /with 600 HTTP requests inside \(2\.00 per iteration;/);
  assert.match(stdout, /What grows per iteration:/);
});

test('websocket: a server keeping each closed connection\'s state leaks one ConnectionState per iteration', async (t) => {
  const { code, stdout, stderr, report } = await runScenario(t, 'ws-echo.mjs', 'ws-per-connection.mjs');
  assert.equal(code, 1, `${stdout}\n${stderr}`);
  const top = report!.findings[0]!;
  assert.equal(top.className, 'ConnectionState', stdout);
  assert.ok(Math.abs(top.countPerRequest - 1) < 0.05, stdout);
  assert.match(top.holder?.description ?? '', /Array `closedConnections` in module ws-per-connection\.mjs/);
});

test('scenario mistakes: one line and exit 2 (with --path, setup throws, never settles)', async (t) => {
  const both = await runCli(['check', '--scenario', join(scenarios, 'ws-echo.mjs'), '--path', '/x', '--', process.execPath, join(servers, 'healthy-express.mjs')]);
  assert.equal(both.code, 2);
  assert.equal(both.stderr.trim(), 'leakfinder: `--scenario` cannot be combined with `--path`: the scenario makes its own requests; drop one of them.');

  const setup = await runCli(['check', '--quiet', '--scenario', join(scenarios, 'setup-throws.mjs'), '--', process.execPath, join(servers, 'healthy-express.mjs')], { timeoutMs: 60_000 });
  assert.equal(setup.code, 2, setup.stderr);
  const lastLine = setup.stderr.trim().split('\n').at(-1)!;
  assert.match(lastLine, /^leakfinder: the scenario's setup failed: TypeError: Cannot read properties of undefined \(reading 'trim'\) \(setup-throws\.mjs:4\)$/);

  const { code, stdout, stderr, report } = await runScenario(t, 'never-settles.mjs', 'healthy-express.mjs', ['--iteration-timeout', '1', '--quiet']);
  assert.equal(code, 2, `${stdout}\n${stderr}`);
  assert.equal(report?.verdict, 'inconclusive');
  assert.match(report?.reason ?? '', /^100% of the scenario's iterations failed \(more than 50%\), e\.g\. iteration \d+ did not settle within 1 s \(`--iteration-timeout`\)$/);
  assert.ok((report?.requests.byStatus.failed ?? 0) < 64, 'the run stopped early instead of timing out 100 iterations');
  assert.match(stdout, /first failed iteration: iteration \d+ did not settle within 1 s/);
});
