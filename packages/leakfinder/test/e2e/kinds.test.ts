// Refined kinds end to end (#16), one fast case in npm test: a fastify server that starts a setInterval per
// request is `handle-growth`, with the live Timeout count read from the server at every checkpoint and no
// `per-request-growth` finding beside it. Every kind on two fixtures each, with healthy twins: kinds.quality.ts.
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check } from '../../src/check/check.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(packageDir, 'test/fixtures/servers');

test('fastify: an uncleared setInterval per request is handle-growth with the live Timeout counts', async () => {
  const report = await check({
    command: [process.execPath, join(fixtures, 'leak-fastify-interval.mjs')],
    cwd: packageDir,
    warmup: 200,
    requests: 400,
    allocStacks: 'off',
  });
  const shown = report.findings.map((f) => `[${f.kind}] ${f.group}`).join('; ');
  assert.equal(report.verdict, 'leak', `${report.reason ?? ''} ${shown}`);
  assert.deepEqual(report.findings.map((f) => f.kind), ['handle-growth'], shown);
  const f = report.findings[0]!;
  assert.equal(f.className, 'Timeout');
  assert.equal(f.evidence.handleType, 'timer');
  const timeouts = (f.evidence.handles as Record<string, { counts: number[]; perRequest: number }>).Timeout!;
  assert.ok(Math.abs(timeouts.perRequest - 1) < 0.05, `Timeouts per request: ${timeouts.perRequest}`);
  assert.ok(timeouts.counts.length >= 5, `one count per checkpoint of the window: ${timeouts.counts.join(" ")}`);
  // The probe's raw counts are in every checkpoint row too.
  assert.ok(report.checkpoints.every((c) => typeof c.activeResources?.Timeout === 'number'));
  assert.match(f.advice, /clearInterval/);
});
