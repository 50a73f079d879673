// End to end (#5): a real express server leaking an `Order` per request; the sampling profiler and the
// source lookup must name the fixture's `// @creation` line as the creation site, with express folded.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { creationFixturesDir, isCreationLineRight, readFixtureSpec, runCreationFixture } from '../helpers/creation-harness.js';

test('the creation site of a leaking express server is the line with `new Order(`', { timeout: 60_000 }, async () => {
  const spec = await readFixtureSpec(join(creationFixturesDir, 'js-express-map.mjs'));
  const run = await runCreationFixture(spec, { warmup: 100, requests: 300, mode: 'sampling' });
  assert.ok(isCreationLineRight(run), `got ${JSON.stringify(run.sites?.creationSite)}, want line ${spec.creationLine}`);
  const stack = run.sites!.creationStack;
  assert.equal(stack[0]!.library, undefined, 'the top frame is the user handler');
  assert.ok(stack.slice(1).some((f) => f.library === true && f.file.includes('node_modules/express')), 'express frames are marked');
  assert.ok(run.sites!.creationSites[0]!.share > 0.5);
});

test('TypeScript run with tsx maps back to the .mts line, with tracking from process start', { timeout: 60_000 }, async () => {
  const spec = await readFixtureSpec(join(creationFixturesDir, 'ts-tsx-express.mts'));
  const run = await runCreationFixture(spec, { warmup: 50, requests: 100, mode: 'tracking' });
  assert.ok(isCreationLineRight(run), `got ${JSON.stringify(run.sites?.creationSite)}, want line ${spec.creationLine}`);
  assert.equal(run.untracedCount, 0, 'every leaked object has an allocation stack');
});
