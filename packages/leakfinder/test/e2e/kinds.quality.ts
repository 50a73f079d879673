// Quality bar of the refined kinds (#16): every refined kind on two fixtures built on real packages (express,
// fastify, koa, winston, node:http), each reported as that kind, once, with no `per-request-growth` finding
// beside it; their healthy twins stay clean. Then compare on the two-leak fixtures: one fixed, one still leaking.
// Run: npm run build && node scripts/run-tests.mjs --quality kinds   (about 10 min on 2 cores; LF_QUALITY_RUNS
// repeats each case, default 1; LF_QUALITY_ONLY filters by fixture name)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check, type CheckOptions } from '../../src/check/check.js';
import type { FindingKind } from '../../src/detect/finding.js';
import { renderCheckJson } from '../../src/report/check-json.js';
import type { CheckReport } from '../../src/report/model.js';
import { runCli } from '../helpers/run-cli.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(packageDir, 'test/fixtures/servers');
const runs = Number(process.env.LF_QUALITY_RUNS ?? 1);
const only = process.env.LF_QUALITY_ONLY;

interface Case {
  readonly file: string;
  /** The refined kind expected, or `clean` for a healthy twin. */
  readonly expected: FindingKind | 'clean';
  /** Evidence the finding must carry (checked with assert.match on its JSON). */
  readonly evidence?: RegExp;
  readonly options?: Partial<CheckOptions>;
}

// Short runs: the refinement needs the same checkpoints the verdict does, not more.
const base: Partial<CheckOptions> = { warmup: 500, requests: 600 };
const cases: readonly Case[] = [
  { file: 'leak-koa-listener.mjs', expected: 'listener-growth', evidence: /"event": "config-changed"[\s\S]*"emitter": "EventEmitter `bus`"|"emitter": "EventEmitter `bus`"[\s\S]*"event": "config-changed"/ },
  { file: 'leak-express-winston.mjs', expected: 'listener-growth', evidence: /"event": "uncaughtException"[\s\S]*MaxListenersExceededWarning/ },
  { file: 'healthy-express-winston.mjs', expected: 'clean' },
  { file: 'leak-fastify-interval.mjs', expected: 'handle-growth', evidence: /"Timeout": \{\s*"counts"/ },
  { file: 'leak-express-proxy-socket.mjs', expected: 'handle-growth', evidence: /"TCPSocketWrap": \{\s*"counts"/, options: { warmup: 200, requests: 400 } },
  { file: 'healthy-express-proxy.mjs', expected: 'clean' },
  { file: 'leak-express-buffers.mjs', expected: 'external-growth', evidence: /"externalBytesPerRequest": 16\d\d\d/ },
  { file: 'leak-fastify-buffers.mjs', expected: 'external-growth', evidence: /"externalBytesPerRequest": [89]\d\d\d/, options: { paths: ['/render/{n}'] } },
  { file: 'healthy-express-buffers.mjs', expected: 'clean' },
  { file: 'leak-express-parked-promise.mjs', expected: 'promise-growth', evidence: /"pendingPromisesPerRequest"/ },
  { file: 'leak-koa-parked-promise.mjs', expected: 'promise-growth', evidence: /"pendingPromisesPerRequest"/ },
  { file: 'healthy-express-settled-promise.mjs', expected: 'clean' },
];

function summary(report: CheckReport): string {
  return `${report.verdict}: ${report.reason ?? ''} ${report.findings.map((f) => `[${f.kind}] ${f.group} ${f.countPerRequest.toFixed(2)}/req`).join('; ')}`;
}

for (const c of cases.filter((c) => only === undefined || c.file.includes(only))) {
  test(`${c.file}: ${c.expected}${runs > 1 ? ` in ${runs} of ${runs} runs` : ''}`, { timeout: runs * 300_000 }, async () => {
    for (let i = 0; i < runs; i++) {
      const report = await check({ command: [process.execPath, join(fixtures, c.file)], cwd: packageDir, ...base, ...c.options });
      console.log(`  ${c.file} run ${i + 1}: ${summary(report)} (${(report.timing.wallMs / 1000).toFixed(1)} s)`);
      if (c.expected === 'clean') {
        assert.equal(report.verdict, 'clean', summary(report));
        continue;
      }
      assert.equal(report.verdict, 'leak', summary(report));
      // The leak is reported once, as its kind (the winston fixture also shows a second, smaller listener
      // growth on the server's keep-alive sockets: a different emitter and event, so a finding of its own).
      const refined = report.findings.filter((f) => f.kind === c.expected && (c.evidence ?? /./).test(JSON.stringify(f.evidence, null, 2)));
      assert.equal(refined.length, 1, `one ${c.expected} finding with its evidence: ${summary(report)}`);
      const f = refined[0]!;
      assert.ok(f.advice.length > 0 && !/^Something keeps/.test(f.advice), f.advice);
      // The same growth is not reported again as the general kind.
      const general = report.findings.filter((g) => g.kind === 'per-request-growth');
      assert.deepEqual(general.map((g) => g.group), [], `no per-request-growth beside the ${c.expected}: ${summary(report)}`);
    }
  });
}

test('compare: two leaks, one fixed and one untouched → fixed + still leaking, exit 1', { timeout: 600_000, skip: only !== undefined && !'leak-express-two'.includes(only) }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lf-kinds-q-'));
  try {
    const options = { ...base, paths: ['/orders/{n}'] };
    const before = await check({ command: [process.execPath, join(fixtures, 'leak-express-two.mjs')], cwd: packageDir, ...options });
    const afterReport = await check({ command: [process.execPath, join(fixtures, 'leak-express-two-one-fixed.mjs')], cwd: packageDir, ...options });
    writeFileSync(join(dir, 'before.json'), renderCheckJson(before));
    writeFileSync(join(dir, 'after.json'), renderCheckJson(afterReport));
    const r = await runCli(['compare', join(dir, 'before.json'), join(dir, 'after.json')]);
    console.log(r.stdout);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /fixed +Order via/);
    assert.match(r.stdout, /still leaking +AuditEntry via .*ratio (0\.[89]|1\.)/);
    assert.match(r.stdout, /1 fixed, 0 smaller, 1 still leaking, 0 new/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
