// `analyze` of snapshots with allocation traces (#5): the growing class's creation site is the allocating
// line of the user's code; a malformed trace section leaves the report whole, with a warning.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { takeTracedSnapshot } from '../../test/helpers/traced-snapshot.js';
import { analyze } from './analyze.js';

const fixtureUrl = new URL('../../../test/fixtures/traces/allocate-widgets.mjs', import.meta.url).href;

async function twoTracedSnapshots(dir: string): Promise<{ first: string; second: string; secondJson: Record<string, unknown> }> {
  const fixture = (await import(fixtureUrl)) as { allocateWidgets: (kept: unknown[], a: number, b: number) => void };
  const kept: unknown[] = [];
  const a = await takeTracedSnapshot(() => fixture.allocateWidgets(kept, 100, 0));
  const b = await takeTracedSnapshot(() => fixture.allocateWidgets(kept, 300, 10));
  const first = join(dir, 'a.heapsnapshot');
  const second = join(dir, 'b.heapsnapshot');
  writeFileSync(first, JSON.stringify(a));
  writeFileSync(second, JSON.stringify(b));
  return { first, second, secondJson: b as unknown as Record<string, unknown> };
}

test('analyze names the allocating line of a growing class, and warns instead of failing on malformed traces', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-analyze-traces-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { first, second, secondJson } = await twoTracedSnapshots(dir);
  const report = await analyze([first, second]);
  const widget = report.growth.find((g) => g.className === 'TraceWidget');
  assert.ok(widget, 'TraceWidget grows');
  // makeFromA starts on line 9; its `new TraceWidget(` is on line 10
  assert.deepEqual(widget.creationSite, { functionName: 'makeFromA', file: fixtureUrl, line: 10, column: 10 });

  const broken = join(dir, 'broken.heapsnapshot');
  writeFileSync(broken, JSON.stringify({ ...secondJson, trace_tree: [1, 0, 0, 0] }));
  const withBroken = await analyze([first, broken]);
  assert.ok(withBroken.growth.some((g) => g.className === 'TraceWidget' && g.creationSite === null));
  assert.ok(withBroken.warnings.some((w) => /allocation traces of the last snapshot are malformed/.test(w)), withBroken.warnings.join('\n'));
});
