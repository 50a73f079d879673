import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { resolveCreationSites } from './creation-sites.js';
import type { AllocationStack, RawFrame } from '../snapshot/allocation-traces.js';
import { SourceMapResolver } from './source-maps.js';

const server = [
  'class Order { constructor(id) { this.id = id; } }', // 1
  'const orders = new Map();', // 2
  'function makeOrder(id) {', // 3: starts at column 19
  '  const key = String(id);', // 4
  '  return new Order(key);', // 5
  '}', // 6
  'function handle(req, res) {', // 7: starts at column 16
  '  orders.set(req.id, makeOrder(req.id));', // 8
  '  res.end();', // 9
  '}', // 10
].join('\n');

function setup(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lf-sites-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'server.js');
  writeFileSync(file, server);
  return pathToFileURL(file).href;
}

const frame = (functionName: string, scriptName: string, line: number, column: number): RawFrame => ({ functionName, scriptName, scriptId: 0, line, column });

test('user frames are narrowed to the allocating line and the call line; library frames are marked', (t) => {
  const url = setup(t);
  const stacks: AllocationStack[] = [
    { count: 95, frames: [frame('makeOrder', url, 3, 19), frame('handle', url, 7, 16), frame('next', '/app/node_modules/express/lib/router/route.js', 149, 13)] },
  ];
  const sites = resolveCreationSites(stacks, 'Order', new SourceMapResolver(), 'tracking');
  assert.deepEqual(sites.creationSite, { functionName: 'makeOrder', file: url, line: 5, column: 10 });
  assert.deepEqual(sites.creationStack.map((f) => [f.functionName, f.line, f.library ?? false]), [
    ['makeOrder', 5, false],
    ['handle', 8, false],
    ['next', 149, true],
  ]);
  assert.deepEqual(sites.warnings, []);
});

test('tracking: stacks whose top user function creates no such object are left out, with a warning', (t) => {
  const url = setup(t);
  const stacks: AllocationStack[] = [
    { count: 80, frames: [frame('makeOrder', url, 3, 19)] },
    { count: 20, frames: [frame('handle', url, 7, 16)] }, // handle makes no `new Order`: a stale trace
  ];
  const sites = resolveCreationSites(stacks, 'Order', new SourceMapResolver(), 'tracking');
  assert.equal(sites.creationSite?.functionName, 'makeOrder');
  assert.deepEqual(sites.creationSites.map((s) => s.share), [1]);
  assert.match(sites.warnings[0]!, /20 of 100 traced `Order` objects/);
});

test('sampling: only stacks that create the class count; none gives no site and a warning', (t) => {
  const url = setup(t);
  const growing: AllocationStack[] = [
    { count: 9000, frames: [frame('handle', url, 7, 16)] }, // grows, but allocates something else
    { count: 4000, frames: [frame('makeOrder', url, 3, 19), frame('handle', url, 7, 16)] },
  ];
  assert.equal(resolveCreationSites(growing, 'Order', new SourceMapResolver(), 'sampling').creationSite?.line, 5);
  const none = resolveCreationSites(growing.slice(0, 1), 'Order', new SourceMapResolver(), 'sampling');
  assert.equal(none.creationSite, null);
  assert.match(none.warnings[0]!, /no growing allocation site/);
});

test('sampling: a function that creates the class twice still counts, at its first line', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-sites-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'twice.js');
  writeFileSync(file, 'function handle(req) {\n  const a = { x: 1 };\n  const b = { y: 2 };\n  return [a, b];\n}');
  const url = pathToFileURL(file).href;
  const sites = resolveCreationSites([{ count: 10, frames: [frame('handle', url, 1, 16)] }], 'Object', new SourceMapResolver(), 'sampling');
  assert.deepEqual(sites.creationSite, { functionName: 'handle', file: url, line: 1, column: 16 });
});
