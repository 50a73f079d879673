// Proof of a fix (#16) end to end: a real baseline run of a server with two leaks, then `check --baseline`
// on a twin where one leak is fixed and the other halved, then `compare` against the fixed twin. Short runs
// (200 warm-up, 400 measured, no creation sites); the slower cases are in kinds.quality.ts.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check } from '../../src/check/check.js';
import type { CheckReport } from '../../src/report/model.js';
import { renderCheckJson } from '../../src/report/check-json.js';
import { runCli } from '../helpers/run-cli.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(packageDir, 'test/fixtures/servers');
const short = { warmup: 200, requests: 400, allocStacks: 'off', paths: ['/orders/{n}'] } as const;
const shortFlags = ['--warmup', '200', '--requests', '400', '--alloc-stacks', 'off', '--path', '/orders/{n}', '--quiet'];
let dir: string;
let baseline: string;

function summary(report: CheckReport): string {
  return `${report.verdict}: ${report.reason ?? ''} ${report.findings.map((f) => `${f.group} ${f.countPerRequest.toFixed(2)}/req`).join('; ')}`;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lf-compare-'));
  const report = await check({ command: [process.execPath, join(fixtures, 'leak-express-two.mjs')], cwd: packageDir, ...short });
  assert.equal(report.verdict, 'leak', summary(report));
  assert.deepEqual(report.findings.map((f) => f.className).sort(), ['AuditEntry', 'Order'], summary(report));
  baseline = join(dir, 'before.json');
  writeFileSync(baseline, renderCheckJson(report));
});
after(() => rm(dir, { recursive: true, force: true }));

test('check --baseline: one leak fixed, the other halved → fixed + smaller (ratio ≈ 0.5), exit 1, in the JSON too', async () => {
  const out = join(dir, 'halved.json');
  const r = await runCli(['check', ...shortFlags, '--baseline', baseline, '--json', out, '--', process.execPath, join(fixtures, 'leak-express-two-halved.mjs')], { timeoutMs: 240_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as CheckReport;
  const entries = report.comparison!.entries;
  const order = entries.find((e) => e.className === 'Order');
  const auditEntry = entries.find((e) => e.className === 'AuditEntry');
  assert.equal(order?.status, 'fixed', JSON.stringify(entries));
  assert.equal(auditEntry?.status, 'smaller', JSON.stringify(entries));
  assert.equal(auditEntry.matchedBy, 'group');
  assert.ok(auditEntry.ratio! > 0.35 && auditEntry.ratio! < 0.65, `ratio ${auditEntry.ratio}`);
  assert.equal(entries.filter((e) => e.status === 'new').length, 0, JSON.stringify(entries));
  assert.equal(report.comparison!.result, 'fail');
  assert.match(r.stdout, /fixed +Order via/);
  assert.match(r.stdout, /smaller +AuditEntry via .*ratio 0\.\d\d/);
  assert.match(r.stdout, /FAIL: a baseline leak remains/);
});

test('compare: the fixed twin has every baseline leak fixed and nothing new → exit 0; refusals exit 2 in one line', async () => {
  const report = await check({ command: [process.execPath, join(fixtures, 'healthy-express-two-fixed.mjs')], cwd: packageDir, ...short });
  assert.equal(report.verdict, 'clean', summary(report));
  const afterPath = join(dir, 'after.json');
  writeFileSync(afterPath, renderCheckJson(report));
  const r = await runCli(['compare', baseline, afterPath, '--json', join(dir, 'cmp.json')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /2 fixed, 0 smaller, 0 still leaking, 0 new\. PASS/);
  const written = JSON.parse(readFileSync(join(dir, 'cmp.json'), 'utf8')) as { command: string; comparison: { result: string } };
  assert.equal(written.command, 'compare');
  assert.equal(written.comparison.result, 'pass');
  // Swapped: the leaks are new.
  const swapped = await runCli(['compare', afterPath, baseline]);
  assert.equal(swapped.code, 1);
  assert.match(swapped.stdout, /0 fixed, 0 smaller, 0 still leaking, 2 new/);
  // Not a check report: refused before anything else, one line, exit 2.
  writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
  const bad = await runCli(['compare', join(dir, 'other.json'), afterPath]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  assert.match(bad.stderr, /other\.json is not a leakfinder check report/);
  const badBaseline = await runCli(['check', '--baseline', join(dir, 'cmp.json'), '--', process.execPath, join(fixtures, 'healthy-express.mjs')]);
  assert.equal(badBaseline.code, 2);
  assert.match(badBaseline.stderr, /cmp\.json is not a leakfinder check report \(it is a `compare` report\)/);
  assert.doesNotMatch(badBaseline.stderr, /starting/, 'refused before the server starts');
});
