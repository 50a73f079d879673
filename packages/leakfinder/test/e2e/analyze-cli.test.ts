// `leakfinder analyze` / `diff` end to end through the CLI entry (in-process, with captured streams).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCliInProcess } from '../helpers/run-cli.js';
import { GraphSpec } from '../helpers/graph-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'lf-analyze-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCliInProcess(args, dir);

// Three "snapshots" of one process: a cache that gains two Entry objects per step, and a steady Config.
function snapshotWithEntries(count: number): string {
  const entries = Array.from({ length: count }, (_, i) => `Entry#${i + 1}:40`).join(', ');
  return new GraphSpec(`(root) -> App; App -> Config:30, Cache:20; Cache -element-> ${entries}`).toSnapshotText();
}
for (const [name, count] of [['s1', 2], ['s2', 4], ['s3', 6]] as const) writeFileSync(join(dir, `${name}.heapsnapshot`), snapshotWithEntries(count));

test('analyze one file: classes by retained size with a path each, exit 0', async () => {
  const r = await run(['analyze', 's3.heapsnapshot', '--top', '3']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Top classes by retained size/);
  assert.match(r.stdout, /Entry\s+6\s+240 B\s+240 B/);
  assert.match(r.stdout, /\(GC roots\) → App `app` → Cache `cache` → Entry `\[\d\]`/);
});

test('analyze several files: what grows at every step, exit 1; JSON per the contract', async () => {
  const r = await run(['analyze', 's1.heapsnapshot', 's2.heapsnapshot', 's3.heapsnapshot', '--json', 'report.json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.command, 'analyze');
  assert.equal(report.files.length, 3);
  // Entry grows in count; its holders grow in retained bytes only, and rank after it.
  assert.deepEqual(report.growth.map((g: { className: string }) => g.className).sort(), ['App', 'Cache', 'Entry']);
  assert.equal(report.growth[0].className, 'Entry');
  assert.deepEqual(report.growth[0].counts, [2, 4, 6]);
  assert.deepEqual(report.growth[0].retainedBytes, [80, 160, 240]);
  assert.ok(!report.growth.some((g: { className: string }) => g.className === 'Config'));
  assert.equal(statSync(join(dir, 'report.json')).mode & 0o777, 0o600);
});

test('analyze the same file twice: nothing grows, exit 0', async () => {
  const r = await run(['analyze', 's2.heapsnapshot', 's2.heapsnapshot', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).growth, []);
});

test('diff: per-class deltas and new objects by holder, matched by object id', async () => {
  const r = await run(['diff', 's1.heapsnapshot', 's3.heapsnapshot', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const entry = report.classes.find((c: { className: string }) => c.className === 'Entry');
  assert.equal(entry.countDelta, 4);
  assert.equal(entry.addedCount, 4);
  assert.equal(entry.removedCount, 0);
  assert.equal(report.matchedByObjectId, true);
  assert.equal(report.newObjects[0].group, 'Entry via Cache `cache` in App `app`');
  assert.equal(report.newObjects[0].count, 4);
});

test('bad input through the CLI: one line naming the file, exit 2', async () => {
  writeFileSync(join(dir, 'empty.heapsnapshot'), '');
  writeFileSync(join(dir, 'notjson.heapsnapshot'), 'not json at all');
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  writeFileSync(join(dir, 'cut.heapsnapshot'), snapshotWithEntries(3).slice(0, 300));
  writeFileSync(join(dir, 'future.heapsnapshot'), snapshotWithEntries(3).replace('"edge_count","trace_node_id"', '"edges_n","trace_node_id"'));
  mkdirSync(join(dir, 'adir'), { recursive: true });
  const cases: [string[], RegExp][] = [
    [['analyze', 'empty.heapsnapshot'], /empty\.heapsnapshot: the file is empty \(0 bytes\)/],
    [['analyze', 'notjson.heapsnapshot'], /notjson\.heapsnapshot: not a V8 heap snapshot/],
    [['analyze', 'package.json'], /package\.json: JSON but not a V8 heap snapshot/],
    [['analyze', 'cut.heapsnapshot'], /cut\.heapsnapshot: heap snapshot cut short at byte 300 of 300/],
    [['analyze', 'future.heapsnapshot'], /future\.heapsnapshot: heap snapshot layout not supported: `meta\.node_fields` has no `edge_count` field/],
    [['analyze', 'missing.heapsnapshot'], /missing\.heapsnapshot: no such file/],
    [['analyze', 'adir'], /adir: is a directory/],
    [['diff', 's1.heapsnapshot'], /diff: name exactly two files/],
    [['analyze'], /analyze: name at least one/],
    [['analyze', 's1.heapsnapshot', '--top', '0'], /`--top` must be an integer/],
  ];
  for (const [args, pattern] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(lines[0]!, pattern);
  }
});

test('analyze --json a.heapsnapshot b.heapsnapshot: refused in one line, exit 2, the snapshot untouched', async () => {
  const before = readFileSync(join(dir, 's1.heapsnapshot'));
  const r = await run(['analyze', '--json', 's1.heapsnapshot', 's2.heapsnapshot']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^leakfinder: `--json s1\.heapsnapshot` would write a json report over a \.heapsnapshot file; nothing was read or written\. .*put a report name after --json/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.deepEqual(readFileSync(join(dir, 's1.heapsnapshot')), before);
  const d = await run(['diff', 's1.heapsnapshot', 's2.heapsnapshot', '--json', 's2.heapsnapshot']);
  assert.equal(d.code, 2);
  assert.match(d.stderr, /names an input of this run/);
});
