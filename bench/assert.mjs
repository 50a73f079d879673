// leakfinder/assert against jest's --detectLeaks (jest-leak-detector) and a hand-rolled heapUsed loop, in one
// run on the same cases (bench/assert/cases.cjs): false alarms, misses, time. Then the smallest leak that
// expectNoLeak catches with its defaults (one object every k calls).
//
//   npm run build && node bench/assert.mjs            (from the repository root; about 10 minutes on 2 cores)
//
// Tools, each with its usual setup:
// - leakfinder: `await expectNoLeak(fn)` with the defaults (10 warm-up + 100 calls in 4 batches).
// - jest --detectLeaks: one test file per case, each calling fn 110 times (the same number of calls), run by
//   `jest --detectLeaks --runInBand`; a case "fails" when Jest marks its file as leaking.
// - heapUsed loop (as projects like undici hand-roll): 10 warm-up calls, GC, heapUsed; 500 calls, GC,
//   heapUsed; fails when it grew more than 512 KiB. (Fewer calls or a lower limit gives false alarms on the
//   10 MB case and the async cases; more calls cost more time than leakfinder's defaults.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { expectNoLeak } from '../packages/leakfinder/dist/src/assert/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const casesPath = join(here, 'assert', 'cases.cjs');
const { cases, everyNth } = createRequire(import.meta.url)(casesPath);
const only = process.argv[2];
const selected = only === undefined ? cases : cases.filter((c) => c.name.includes(only));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

async function leakfinderVerdict(fn) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let leak = false;
  let detail = '';
  try {
    await expectNoLeak(fn);
  } catch (error) {
    if (!Array.isArray(error.leaks)) throw error;
    leak = true;
    const first = error.leaks[0];
    detail = `${first.group}; created ${first.creationSite ? `${first.creationSite.file.split('/').at(-1)}:${first.creationSite.line}` : '?'}`;
  }
  const used = process.cpuUsage(cpu);
  return { leak, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, detail };
}

async function heapUsedVerdict(fn) {
  const started = performance.now();
  for (let i = 0; i < 10; i++) await fn(i);
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 10; i < 510; i++) await fn(i);
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  const grownBytes = process.memoryUsage().heapUsed - before;
  return { leak: grownBytes > 512 * 1024, ms: performance.now() - started, detail: `${(grownBytes / 1024).toFixed(1)} KiB in 500 calls` };
}

function jestVerdicts(list) {
  const dir = mkdtempSync(join(tmpdir(), 'leakfinder-bench-jest-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-jest', private: true, jest: { testTimeout: 120000 } }));
    list.forEach((c, index) => {
      writeFileSync(
        join(dir, `case-${index}.test.js`),
        `const { cases } = require(${JSON.stringify(casesPath)});\n` +
          `test(${JSON.stringify(c.name)}, async () => {\n  const fn = cases[${cases.indexOf(c)}].make();\n  for (let i = 0; i < 110; i++) await fn(i);\n});\n`,
      );
    });
    const started = performance.now();
    const result = spawnSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--detectLeaks', '--runInBand', '--ci', '--colors=false'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const ms = performance.now() - started;
    const output = `${result.stdout}\n${result.stderr}`;
    return {
      ms,
      verdicts: list.map((c, index) => {
        const failed = new RegExp(`FAIL \\S*case-${index}\\.test\\.js`).test(output);
        const passed = new RegExp(`PASS \\S*case-${index}\\.test\\.js`).test(output);
        return { leak: failed, unknown: !failed && !passed };
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const c of selected) {
  process.stderr.write(`leakfinder: ${c.name}\n`);
  const lf = await leakfinderVerdict(c.make());
  process.stderr.write(`heapUsed loop: ${c.name}\n`);
  const hu = await heapUsedVerdict(c.make());
  rows.push({ c, lf, hu });
}
process.stderr.write('jest --detectLeaks: all cases in one run\n');
const jest = jestVerdicts(selected);

const mark = (v, leaks) => (v.unknown ? '?' : v.leak === leaks ? (v.leak ? 'caught' : 'pass') : v.leak ? 'FALSE ALARM' : 'MISSED');
console.log('\n| case | leaks? | leakfinder | jest --detectLeaks | heapUsed loop | leakfinder time (CPU) | leakfinder says |');
console.log('|---|---|---|---|---|---|---|');
rows.forEach(({ c, lf, hu }, i) => {
  console.log(
    `| ${c.name} | ${c.leaks ? 'yes' : 'no'} | ${mark(lf, c.leaks)} | ${mark(jest.verdicts[i], c.leaks)} | ${mark(hu, c.leaks)} (${hu.detail}) | ` +
      `${(lf.ms / 1000).toFixed(1)} s (${(lf.cpuMs / 1000).toFixed(1)} s) | ${lf.detail || '-'} |`,
  );
});
const tally = (pick) => {
  let falseAlarms = 0;
  let misses = 0;
  rows.forEach((row, i) => {
    const v = pick(row, i);
    if (v.leak && !row.c.leaks) falseAlarms++;
    if (!v.leak && row.c.leaks) misses++;
  });
  return `${falseAlarms} false alarms, ${misses} misses`;
};
const sum = (f) => rows.reduce((s, r) => s + f(r), 0) / 1000;
console.log(`\nleakfinder:          ${tally((r) => r.lf)}, ${sum((r) => r.lf.ms).toFixed(1)} s wall (${sum((r) => r.lf.cpuMs).toFixed(1)} s CPU) for ${rows.length} cases`);
console.log(`jest --detectLeaks:  ${tally((_, i) => jest.verdicts[i])}, ${(jest.ms / 1000).toFixed(1)} s wall for ${rows.length} cases (one jest run)`);
console.log(`heapUsed loop:       ${tally((r) => r.hu)}, ${sum((r) => r.hu.ms).toFixed(1)} s wall for ${rows.length} cases`);

if (only === undefined) {
  console.log('\nSmallest leak caught with the defaults (one `{ i }` object, 32 B with its number, every k calls):');
  for (const every of [10, 20, 25, 30, 50]) {
    const v = await leakfinderVerdict(everyNth(every));
    console.log(`  every ${every} calls (${(1 / every).toFixed(3)} objects per call): ${v.leak ? 'caught' : 'not caught'} (${(v.ms / 1000).toFixed(1)} s)`);
  }
}
