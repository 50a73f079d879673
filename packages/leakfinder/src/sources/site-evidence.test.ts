import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../detect/finding.js';
import { withSiteEvidence } from './site-evidence.js';

const site = { functionName: 'handle', file: '/app/server.js', line: 14, column: 29 };
function finding(className: string, shares: number[]): Finding {
  return {
    kind: 'per-request-growth', className, group: className, countPerRequest: 1, bytesPerRequest: 64, fitR2: 1,
    retainerPath: [], holder: null, creationSite: site, creationStack: [site],
    creationSites: shares.map((share, i) => ({ site: { ...site, line: site.line + i }, share })), evidence: {}, advice: '',
  };
}

test('an allocation stack agreed by most objects is exact; one of several is likely', () => {
  assert.deepEqual(withSiteEvidence(finding('Order', [0.9, 0.1]), 'allocation-stack').creationSite, { ...site, foundBy: 'allocation-stack', confidence: 'exact' });
  assert.equal(withSiteEvidence(finding('Order', [0.4, 0.3, 0.3]), 'allocation-stack').creationSite?.confidence, 'likely');
  // the first of several calls in the function (koa's three Object.create): the function is sure, the line not
  assert.equal(withSiteEvidence(finding('Object', [1]), 'allocation-stack', 'Object', 'weak', true).creationSite?.confidence, 'likely');
});

test('a sampled stack joined by the class name is likely; joined only by a literal it is dropped, not shown', () => {
  assert.deepEqual(withSiteEvidence(finding('Order', [1]), 'sampled-stack', 'Order').creationSite, { ...site, foundBy: 'sampled-stack', confidence: 'likely' });
  const literal = withSiteEvidence(finding('Object', [1]), 'sampled-stack', 'Object');
  assert.equal(literal.creationSite, null, 'every handler has an object literal (res.json({ ok })): no line rather than a wrong one');
  assert.equal(literal.creationSites.length, 1, 'the candidate stays listed');
});

test('a site that already says how it was found (the session install line) is kept as it is', () => {
  const install = { ...site, foundBy: 'static-search' as const, confidence: 'likely' as const };
  const f = { ...finding('(string)', [1]), creationSite: install };
  assert.equal(withSiteEvidence(f, 'allocation-stack').creationSite, install);
});
