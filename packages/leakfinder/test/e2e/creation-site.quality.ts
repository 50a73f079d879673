// Quality bar of issue #5: the top user frame is the real creation line for at least 8 of 10 leak fixtures
// (JS and TS: tsx, tsc --sourceMap, inline maps, an esbuild bundle). Each fixture marks its line `// @creation`.
// Run: npm run build && node scripts/run-tests.mjs --quality creation-site
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatFrame } from '../../src/detect/creation-site.js';
import { creationFixturesDir, isCreationLineRight, readFixtureSpec, runCreationFixture } from '../helpers/creation-harness.js';

const mode = (process.env['LF_ALLOC_MODE'] ?? 'sampling') as 'tracking' | 'sampling';

test(`the creation site is the marked line for at least 8 of 10 fixtures (${mode})`, { timeout: 10 * 60_000 }, async (t) => {
  const files = readdirSync(creationFixturesDir).filter((f) => /\.(mjs|mts)$/.test(f)).sort();
  const rows: string[] = [];
  let right = 0;
  for (const name of files) {
    const spec = await readFixtureSpec(join(creationFixturesDir, name));
    const run = await runCreationFixture(spec, { warmup: 200, requests: 300, mode });
    const ok = isCreationLineRight(run);
    if (ok) right++;
    const site = run.sites?.creationSite;
    const share = run.sites?.creationSites[0]?.share ?? 0;
    rows.push(`${ok ? 'ok  ' : 'MISS'} ${name} (${spec.leakClass}, line ${spec.creationLine}): ` +
      `${site ? formatFrame(site) : 'no site'} share ${(share * 100).toFixed(0)}%, ` +
      `${mode === 'tracking' ? 'traced objects' : 'sampled bytes'} ${run.tracedCount}, untraced ${run.untracedCount}${run.warnings.length ? `, warnings: ${run.warnings.join(' | ')}` : ''}`);
    if (!ok && run.sites) rows.push(...run.sites.creationStack.slice(0, 6).map((f) => `       ${formatFrame(f)}${f.library ? ' [lib]' : ''}`));
  }
  t.diagnostic(`\n${rows.join('\n')}\nright: ${right} of ${files.length}`);
  console.log(`${rows.join('\n')}\nright: ${right} of ${files.length}`);
  assert.ok(right >= 8, `only ${right} of ${files.length} fixtures got the creation line right`);
});
