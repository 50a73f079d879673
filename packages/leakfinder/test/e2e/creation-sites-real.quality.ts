// Quality bar of issue #12: on the labelled set of leaks in real npm packages (test/fixtures/sites/), the
// default `--alloc-stacks` names the right creation line for at least 13 of them, and its wall time stays
// within 1.4x of `--alloc-stacks off`. Prints a table per fixture: score per mode and time ratio.
// Long (each fixture runs `check` once per mode, plus its healthy twin once): a quality run, not `npm test`.
// Run: npm run build && node scripts/run-tests.mjs --quality creation-sites-real
//   LF_SITES_MODES=off,sampling,tracking,rerun   modes to run (default: off and the default mode)
//   LF_SITES_ONLY=ajv                            only fixtures whose name contains this
//   LF_SITES_TWINS=0                             skip the healthy twins (LF_SITES_MODES= runs only them)
//   LF_SITES_TWIN_MODE=off                       the twins' mode (default: the default mode)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultAllocStacksMode, type AllocStacksMode } from '../../src/check/alloc-stacks.js';
import { formatFrame } from '../../src/detect/creation-site.js';
import { readSitesFixtures, runSitesFixture, scoredFinding, scoreSite, type Score } from '../helpers/sites-harness.js';

const modes = (process.env['LF_SITES_MODES'] ?? `off,${defaultAllocStacksMode}`).split(',').filter((m) => m !== '') as AllocStacksMode[];
// The twins' verdict does not depend on the mode (sites are only looked for after a leak): `off` is enough.
const twinMode = (process.env['LF_SITES_TWIN_MODE'] ?? defaultAllocStacksMode) as AllocStacksMode;
const only = process.env['LF_SITES_ONLY'];
const twins = process.env['LF_SITES_TWINS'] !== '0';

test(`creation lines on the labelled real-package set (${modes.join(', ')})`, { timeout: 90 * 60_000 }, async (t) => {
  const fixtures = readSitesFixtures().filter((f) => only === undefined || f.name.includes(only));
  const totals = new Map<AllocStacksMode, Record<Score, number> & { wallMs: number }>();
  const rows: string[] = [];
  const say = (line: string): void => {
    rows.push(line);
    console.log(line);
  };
  let twinsClean = 0;
  let leaksFound = 0;
  for (const fixture of fixtures) {
    const wall = new Map<AllocStacksMode, number>();
    for (const mode of modes) {
      const report = await runSitesFixture(fixture, { mode });
      wall.set(mode, report.timing.wallMs);
      const total = totals.get(mode) ?? { right: 0, wrong: 0, none: 0, wallMs: 0 };
      totals.set(mode, total);
      total.wallMs += report.timing.wallMs;
      if (report.verdict === 'leak') leaksFound++;
      if (mode === 'off') {
        say(`${fixture.name} [${fixture.shape}] off: ${report.verdict}, ${(report.timing.wallMs / 1000).toFixed(1)} s`);
        continue;
      }
      const finding = scoredFinding(fixture, report);
      const site = finding?.creationSite ?? null;
      const score = report.verdict === 'leak' ? scoreSite(fixture, site) : 'none';
      total[score]++;
      const ratio = wall.has('off') ? ` (${(report.timing.wallMs / wall.get('off')!).toFixed(2)}x off)` : '';
      const how = site === null ? '' : ` [${(site as { foundBy?: string }).foundBy ?? '?'}, ${(site as { confidence?: string }).confidence ?? '?'}]`;
      say(`${fixture.name} ${mode}: ${score.toUpperCase()} ${report.verdict} ${finding?.group ?? '-'}: ${site ? formatFrame(site) : 'no site'}${how}, ` +
        `${(report.timing.wallMs / 1000).toFixed(1)} s${ratio}`);
      if (score !== 'right' && report.warnings.length > 0) say(`    warnings: ${report.warnings.join(' | ').slice(0, 600)}`);
    }
    if (twins) {
      const twin = await runSitesFixture(fixture, { mode: twinMode, healthy: true });
      if (twin.verdict === 'clean') twinsClean++;
      say(`${fixture.name} healthy twin (${twinMode}): ${twin.verdict}${twin.verdict === 'clean' ? '' : ` ${twin.findings.map((f) => f.group).join('; ')}`}`);
    }
  }
  const off = totals.get('off');
  for (const [mode, total] of totals) {
    if (mode === 'off') continue;
    say(`${mode}: right ${total.right}, wrong ${total.wrong}, none ${total.none} of ${fixtures.length}; ` +
      `wall ${(total.wallMs / 1000).toFixed(0)} s${off ? `, ${(total.wallMs / off.wallMs).toFixed(2)}x off (${(off.wallMs / 1000).toFixed(0)} s)` : ''}`);
  }
  if (twins) say(`healthy twins clean: ${twinsClean} of ${fixtures.length}`);
  t.diagnostic(rows.join('\n'));
  const main = totals.get(defaultAllocStacksMode);
  if (main !== undefined && only === undefined) {
    assert.ok(main.right >= 13, `default mode: only ${main.right} of ${fixtures.length} creation lines right`);
    assert.ok(main.wrong <= 1, `default mode named ${main.wrong} wrong lines`);
  }
});
