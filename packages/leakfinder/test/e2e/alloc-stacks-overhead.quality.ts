// Overhead of the allocation-stack modes on a real run: the same fixture driven with `off`, `tracking`
// (`--track-heap-objects` from process start) and `sampling` (CDP sampling heap profiler, 1 KiB interval,
// measured window only). Prints wall times; the README's "Allocation stacks" section quotes them.
// Run: npm run build && node scripts/run-tests.mjs --quality alloc-stacks-overhead
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { creationFixturesDir, readFixtureSpec, runCreationFixture } from '../helpers/creation-harness.js';

const fixtures = ['js-express-map.mjs', 'js-fastify-object.mjs', 'ts-inline-koa.mts'];
const warmup = Number(process.env['LF_WARMUP'] ?? 1000);
const requests = Number(process.env['LF_REQUESTS'] ?? 3000);

test('allocation-stack modes: run time against `off`', { timeout: 15 * 60_000 }, async (t) => {
  const lines: string[] = [];
  const ratios: Record<string, number[]> = { tracking: [], sampling: [] };
  for (const name of fixtures) {
    const spec = await readFixtureSpec(join(creationFixturesDir, name));
    const totals: Record<string, number> = {};
    for (const mode of ['off', 'tracking', 'sampling', 'off'] as const) {
      const run = await runCreationFixture(spec, { warmup, requests, mode });
      // off runs twice (first and last) to see the noise of this shared machine
      const total = run.warmupMs + run.loadMs + run.finishMs;
      totals[mode] = Math.min(totals[mode] ?? Infinity, total);
      lines.push(`${name} ${mode.padEnd(8)} warm-up ${run.warmupMs.toFixed(0)} ms, measured ${run.loadMs.toFixed(0)} ms, stacks ${run.finishMs.toFixed(0)} ms`);
    }
    for (const mode of ['tracking', 'sampling'] as const) ratios[mode]!.push(totals[mode]! / totals['off']!);
    lines.push(`${name}: tracking ${(totals['tracking']! / totals['off']!).toFixed(2)}x, sampling ${(totals['sampling']! / totals['off']!).toFixed(2)}x`);
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  lines.push(`mean: tracking ${mean(ratios['tracking']!).toFixed(2)}x, sampling ${mean(ratios['sampling']!).toFixed(2)}x (${warmup} warm-up + ${requests} requests)`);
  t.diagnostic(lines.join('\n'));
  console.log(lines.join('\n'));
  assert.ok(mean(ratios['sampling']!) <= 2, 'the default mode must stay within 2x');
});
