import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareFindings, comparisonFails, portableGroup } from './compare-findings.js';
import type { Finding } from './finding.js';

function finding(className: string, group: string, count: number, extra: Partial<Finding> = {}): Finding {
  return {
    kind: 'per-request-growth', className, group, countPerRequest: count, bytesPerRequest: count * 100, fitR2: 1,
    retainerPath: [], holder: null, creationSite: null, creationStack: [], creationSites: [], evidence: {}, advice: '',
    ...extra,
  };
}
const site = (functionName: string, line: number) => ({ functionName, file: '/srv/app.mjs', line, column: 3 });

test('script ids and element indices do not count: the same group in two processes matches', () => {
  assert.equal(portableGroup('(closure) via handler@57:12:3 `[12]` in Array `[3]`'), '(closure) via handler `[]` in Array `[]`');
  const [entry] = compareFindings([finding('(closure)', '(closure) via handle@57:1:2 `[4]`', 1)], [finding('(closure)', '(closure) via handle@91:1:2 `[9]`', 1)]);
  assert.equal(entry!.status, 'still leaking');
  assert.equal(entry!.matchedBy, 'group');
  assert.equal(entry!.ratio, 1);
});

test('fixed, smaller (ratio ≤ 0.75), still leaking and new', () => {
  const before = [finding('Order', 'Order via Map `orders`', 1), finding('AuditEntry', 'AuditEntry via Array `audit`', 1), finding('Visit', 'Visit via Set `visits`', 2)];
  const after = [finding('AuditEntry', 'AuditEntry via Array `audit`', 0.5), finding('Visit', 'Visit via Set `visits`', 1.6), finding('Token', 'Token via Map `tokens`', 1)];
  const entries = compareFindings(before, after);
  assert.deepEqual(entries.map((e) => [e.className, e.status]), [['Order', 'fixed'], ['AuditEntry', 'smaller'], ['Visit', 'still leaking'], ['Token', 'new']]);
  assert.equal(entries[1]!.ratio, 0.5);
  assert.equal(entries[2]!.ratio, 0.8);
  assert.equal(entries[0]!.after, null);
  assert.equal(entries[3]!.before, null);
  assert.equal(comparisonFails(entries), true);
  assert.equal(comparisonFails(entries.slice(0, 1)), false);
});

test('a leak that moved holder is matched by class and creation site, the line ignored for a named function', () => {
  const before = finding('Order', 'Order via Map `orders`', 1, { creationSite: site('createOrder', 12) });
  const moved = finding('Order', 'Order via Array `recent`', 1, { creationSite: site('createOrder', 15) });
  const [entry, ...rest] = compareFindings([before], [moved]);
  assert.equal(entry!.status, 'still leaking');
  assert.equal(entry!.matchedBy, 'creation-site');
  assert.equal(entry!.after!.group, 'Order via Array `recent`');
  assert.equal(rest.length, 0);
});

test('then by class and holder; another class in the same holder is not the same leak', () => {
  const holder = { description: 'Map `cache` in module app.mjs', file: null, line: null };
  const before = finding('Entry', 'Entry via Map `cache`', 1, { holder });
  const samePlace = finding('Entry', 'Entry via Object `<key>` in Map `cache`', 0.2, { holder });
  assert.deepEqual(compareFindings([before], [samePlace]).map((e) => [e.status, e.matchedBy]), [['smaller', 'holder']]);
  const otherClass = finding('Blob', 'Blob via Map `cache`', 1, { holder });
  assert.deepEqual(compareFindings([before], [otherClass]).map((e) => e.status), ['fixed', 'new']);
});

test('a session finding matches the later session finding of the same class; each later finding is used once', () => {
  const session = finding('(string)', '(string) via MemoryStore `sessions`', 1, { kind: 'session-per-request' });
  const later = finding('(string)', '(string) via Object `sessions`', 1, { kind: 'session-per-request' });
  assert.deepEqual(compareFindings([session], [later]).map((e) => [e.status, e.matchedBy]), [['still leaking', 'kind']]);
  const twice = compareFindings([finding('A', 'A via x', 1), finding('A', 'A via x', 1)], [finding('A', 'A via x', 1)]);
  assert.deepEqual(twice.map((e) => e.status), ['still leaking', 'fixed']);
});
