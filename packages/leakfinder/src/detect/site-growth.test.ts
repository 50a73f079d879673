import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findGrowingSites, type SitePoint } from './site-growth.js';

const points = (series: Record<string, number[]>, step = 300): SitePoint[] =>
  Object.values(series)[0]!.map((_, i) => ({ requests: i * step, bytesBySite: new Map(Object.entries(series).map(([k, v]) => [k, v[i]!])) }));

test('a site whose sampled live bytes rise steadily per request is growing; a sawtooth of garbage is not', () => {
  const found = findGrowingSites(
    points({
      leak: [0, 3104, 6192, 12400, 17584, 19648, 23760, 28928, 34096],
      garbage: [1152, 36520, 43944, 43168, 71592, 140280, 38768, 83104, 12392],
      flat: [8000, 8100, 8000, 8200, 8100, 8000, 8100, 8200, 8100],
    }),
    { minCheckpoints: 5 },
  );
  assert.deepEqual(found.map((s) => s.site), ['leak']);
  assert.ok(found[0]!.fit.slope > 10 && found[0]!.fit.slope < 20);
});

test('a site that filled up and went flat in the second half is not growing', () => {
  const found = findGrowingSites(points({ cache: [0, 30000, 60000, 90000, 120000, 121000, 121500, 122000, 122100] }), { minCheckpoints: 5 });
  assert.deepEqual(found, []);
});

test('too few points give no verdict; the candidate filter is applied', () => {
  assert.deepEqual(findGrowingSites(points({ a: [0, 5000, 10000] }), { minCheckpoints: 5 }), []);
  const all = points({ 'lib node_modules/x.js:1:1': [0, 5000, 10000, 15000, 20000, 25000] });
  assert.equal(findGrowingSites(all, { minCheckpoints: 5 }).length, 1);
  assert.equal(findGrowingSites(all, { minCheckpoints: 5 }, (s) => !s.includes('node_modules')).length, 0);
});
