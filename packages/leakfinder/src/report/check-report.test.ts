import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCheckJson } from './check-json.js';
import { renderCheckTerminal } from './check-terminal.js';
import type { CheckReport } from './model.js';

const report: CheckReport = {
  schemaVersion: 1,
  tool: { name: 'leakfinder', version: '0.1.0' },
  command: 'check',
  verdict: 'leak',
  reason: null,
  requests: { warmup: 2000, measured: 1000, byStatus: { '2xx': 3000, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 } },
  thresholds: { minCountPerRequest: 0.02, minSlopeSigmas: 6, ignore: '' },
  checkpoints: [0, 250, 500, 750, 1000].map((requests, i) => ({
    requests, heapUsedBytes: 7_000_000 + i * 60_000, externalBytes: 2_000_000, arrayBuffersBytes: 10_000, rssBytes: 60_000_000, snapshotBytes: 8_000_000, overheadMs: 900,
  })),
  findings: [
    {
      kind: 'per-request-growth', className: 'Order', group: 'Order via Map `orders`', countPerRequest: 1, bytesPerRequest: 96, fitR2: 0.999,
      retainerPath: ['(GC roots)', 'Map `orders`', 'Order `<key>`'], holder: { description: 'Map `orders` in module server.js', file: '/srv/server.js', line: 12 },
      creationSite: null, creationStack: [], creationSites: [], evidence: { counts: [100, 350, 600, 850, 1100], alsoGrowing: [{ group: '(string) via Map `orders`', countPerRequest: 1, bytesPerRequest: 24 }] },
      advice: 'Delete the entry from Map `orders` when it is no longer needed, or bound it.',
    },
  ],
  warnings: [],
  server: { command: ['node', 'server.js'], baseUrl: 'http://127.0.0.1:3000', pid: 42 },
  timing: { wallMs: 15_000, snapshotOverheadMs: 4_500, analysisMs: 700, loadMs: 3_000 },
  snapshots: { directory: '/tmp/leakfinder-x', kept: true, files: ['/tmp/leakfinder-x/checkpoint-0.heapsnapshot'] },
  heapUsedBytesPerRequest: 240,
};

test('the terminal report gives the verdict, ≈k objects and B bytes per request, holder, path, curve, thresholds and time', () => {
  const text = renderCheckTerminal(report);
  assert.match(text, /^leakfinder check: LEAK/);
  assert.match(text, /Order via Map `orders`: ≈1\.00 objects and 96\.0 bytes per request/);
  assert.match(text, /held by: Map `orders` in module server\.js \(\/srv\/server\.js:12\)/);
  assert.match(text, /path: {4}\(GC roots\) → Map `orders` → Order `<key>`/);
  assert.match(text, /with: {4}\(string\) via Map `orders`/);
  assert.match(text, /▁▃▅▆█ {2}heapUsed/);
  assert.match(text, /minCountPerRequest=0\.02, minSlopeSigmas=6, ignore=-/);
  assert.match(text, /Time: 15\.0 s wall, of which GC \+ snapshots 4\.5 s/);
  assert.match(text, /Snapshots kept in \/tmp\/leakfinder-x \(1 files, mode 0600\)/);
});

test('the JSON report has the contract\'s top-level fields and round-trips', () => {
  const parsed = JSON.parse(renderCheckJson(report)) as Record<string, unknown>;
  for (const key of ['schemaVersion', 'tool', 'command', 'verdict', 'reason', 'requests', 'thresholds', 'checkpoints', 'findings', 'warnings']) {
    assert.ok(key in parsed, key);
  }
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(report)));
});

test('the JSON report writes non-finite numbers as null', () => {
  const text = renderCheckJson({ ...report, heapUsedBytesPerRequest: Number.POSITIVE_INFINITY });
  assert.equal((JSON.parse(text) as { heapUsedBytesPerRequest: unknown }).heapUsedBytesPerRequest, null);
});

test('the terminal says "probably" for any creation site but an exact allocation stack (#12)', () => {
  const site = { functionName: 'handle', file: '/srv/server.js', line: 14, column: 29 };
  const withSite = (creationSite: CheckReport['findings'][number]['creationSite']): string =>
    renderCheckTerminal({ ...report, findings: [{ ...report.findings[0]!, creationSite, creationStack: [site] }] });
  assert.match(withSite({ ...site, foundBy: 'allocation-stack', confidence: 'exact' }), /created: handle \/srv\/server\.js:14:29\n/);
  assert.match(withSite({ ...site, foundBy: 'sampled-stack', confidence: 'likely' }), /created: probably handle \/srv\/server\.js:14:29 \(from a sampled allocation stack, joined by name\)/);
  assert.match(withSite({ ...site, foundBy: 'static-search', confidence: 'likely' }), /created: probably .*\(from a search of the server source\)/);
  assert.match(withSite({ ...site, foundBy: 'allocation-stack', confidence: 'likely' }), /created: probably .*\(from the objects' allocation stacks, which disagree or leave the line uncertain\)/);
});

test('a sampling finding that measured bytes only (the live heap) is not shown with an object count', () => {
  const heapFinding: CheckReport['findings'][number] = {
    kind: 'per-request-growth', className: '(live heap)', group: 'the live heap after each checkpoint\'s full GC', countPerRequest: 0, bytesPerRequest: 23_424, fitR2: 0.95,
    retainerPath: [], holder: null, creationSite: null, creationStack: [], creationSites: [], evidence: { source: 'heap-after-gc' }, advice: 'Run `leakfinder watch --mode snapshot`.',
  };
  const text = renderCheckTerminal({ ...report, command: 'watch', findings: [report.findings[0]!, heapFinding] });
  assert.match(text, /the live heap after each checkpoint's full GC: 23424 bytes per request/);
  assert.match(text, /bytes only/);
  assert.doesNotMatch(text, /≈0\.00 objects/);
  assert.match(text, /Order via Map `orders`: ≈1\.00 objects and 96\.0 bytes per request/);
});
