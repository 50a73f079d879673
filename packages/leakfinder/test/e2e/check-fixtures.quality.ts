// The quality bar of `check` (issue #4): every fixture, LF_QUALITY_RUNS runs each (default 10), same verdict
// every time. Prints detection rates, wall times, snapshot overhead and the heapUsed slopes of healthy servers.
// Run: npm run build && node scripts/run-tests.mjs --quality check-fixtures   (about 1 h on 2 cores at 10 runs)
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check, type CheckOptions } from '../../src/check/check.js';
import type { Verdict } from '../../src/report/model.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(packageDir, 'test/fixtures/servers');
const tsx = join(packageDir, '../../node_modules/.bin/tsx');
const runs = Number(process.env.LF_QUALITY_RUNS ?? 10);
const only = process.env.LF_QUALITY_ONLY; // substring filter on the fixture name

interface Case {
  readonly file: string;
  readonly expected: Verdict;
  /** For leaks: the class that must be among the findings. */
  readonly className?: string;
  readonly options?: Partial<CheckOptions>;
}

const cases: readonly Case[] = [
  { file: 'healthy-express.mjs', expected: 'clean' },
  { file: 'healthy-fastify.mjs', expected: 'clean' },
  { file: 'healthy-koa.mjs', expected: 'clean' },
  { file: 'healthy-express-lru.mjs', expected: 'clean', options: { paths: ['/item/{n}'] } },
  { file: 'healthy-express-lazy.mjs', expected: 'clean' },
  { file: 'healthy-fastify-json.mjs', expected: 'clean' },
  { file: 'healthy-koa-agent.mjs', expected: 'clean' },
  { file: 'healthy-express-logging.mjs', expected: 'clean' },
  { file: 'leak-express-array.mjs', expected: 'leak', className: 'Object' },
  { file: 'leak-express-map.mjs', expected: 'leak', className: 'Order', options: { paths: ['/orders/{n}'] } },
  { file: 'leak-express-tenth.mjs', expected: 'leak', className: 'AuditEntry' },
  { file: 'leak-express-closure.mjs', expected: 'leak', className: '(closure)' },
  { file: 'leak-fastify-set.mjs', expected: 'leak', className: 'Visit' },
  { file: 'leak-fastify-interval.mjs', expected: 'leak', className: 'Timeout' },
  { file: 'leak-koa-listener.mjs', expected: 'leak', className: '(closure)' },
  { file: 'leak-koa-class.mjs', expected: 'leak', className: 'RequestContext' },
  { file: 'leak-express-ts.ts', expected: 'leak', className: 'UserSession' },
  // `--ignore`: accepted growth of a class (and of its parts) is not reported.
  { file: 'leak-fastify-set.mjs', expected: 'clean', options: { ignore: ['Visit'] } },
];

interface Row {
  file: string;
  expected: Verdict;
  verdicts: Record<string, number>;
  correct: number;
  wallS: number[];
  snapshotS: number[];
  heapSlopes: number[];
  countSlopes: number[];
}

const rows: Row[] = [];

for (const c of cases.filter((c) => only === undefined || c.file.includes(only))) {
  test(`${c.file}${c.options?.ignore ? ' --ignore ' + c.options.ignore.join(',') : ''}: ${c.expected} in ${runs} of ${runs} runs`, { timeout: runs * 120_000 }, async () => {
    const row: Row = { file: c.file, expected: c.expected, verdicts: {}, correct: 0, wallS: [], snapshotS: [], heapSlopes: [], countSlopes: [] };
    rows.push(row);
    for (let i = 0; i < runs; i++) {
      const command = c.file.endsWith('.ts') ? [tsx, join(fixtures, c.file)] : [process.execPath, join(fixtures, c.file)];
      const report = await check({ command, cwd: packageDir, ...c.options });
      row.verdicts[report.verdict] = (row.verdicts[report.verdict] ?? 0) + 1;
      const named = c.className === undefined || report.findings.some((f) => f.className === c.className);
      if (!named && report.verdict === c.expected) console.log(`  ${c.file} run ${i + 1}: found ${report.findings.map((f) => f.className).join(', ')}, not ${c.className}`);
      if (report.verdict === c.expected && named) row.correct++;
      row.wallS.push(report.timing.wallMs / 1000);
      row.snapshotS.push(report.timing.snapshotOverheadMs / 1000);
      if (report.heapUsedBytesPerRequest !== null) row.heapSlopes.push(report.heapUsedBytesPerRequest);
      const top = report.findings.find((f) => f.className === c.className);
      if (top) row.countSlopes.push(top.countPerRequest);
      if (report.verdict !== c.expected) console.log(`  ${c.file} run ${i + 1}: ${report.verdict} ${report.reason ?? ''} ${report.findings.map((f) => f.group).join('; ')}`);
    }
    console.log(`  ${c.file}: ${row.correct}/${runs} correct ${JSON.stringify(row.verdicts)}, wall ${row.wallS.map((w) => w.toFixed(1)).join(' ')} s`);
    assert.equal(row.correct, runs, `${c.file}: ${JSON.stringify(row.verdicts)}`);
  });
}

test.after(() => {
  const f = (xs: number[], digits = 1): string =>
    xs.length === 0 ? '-' : `${Math.min(...xs).toFixed(digits)}..${Math.max(...xs).toFixed(digits)} (mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(digits)})`;
  console.log('\nfixture | expected | correct | verdicts | wall s | GC+snapshot s | heapUsed B/req | count/req');
  for (const r of rows) {
    console.log(`${r.file} | ${r.expected} | ${r.correct}/${r.wallS.length} | ${JSON.stringify(r.verdicts)} | ${f(r.wallS)} | ${f(r.snapshotS)} | ${f(r.heapSlopes)} | ${f(r.countSlopes, 3)}`);
  }
});
