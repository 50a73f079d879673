import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldFindings, type Finding } from './finding.js';

function finding(className: string, signature: string, path: string[], holder: string | null, count = 1, bytes = 50): Finding {
  return {
    kind: 'per-request-growth', className, group: `${className} via ${signature}`, countPerRequest: count, bytesPerRequest: bytes, fitR2: 1,
    retainerPath: path, holder: holder === null ? null : { description: holder, file: null, line: null },
    creationSite: null, creationStack: [], creationSites: [], evidence: {}, advice: '',
  };
}

test('the parts of a leaked object fold into the finding of the object', () => {
  const object = finding('Object', 'Array `seen`', ['(GC roots)', 'Array `seen`', 'Object `[5]`'], 'Array `seen` in module a.mjs', 1, 56);
  const number = finding('(number)', 'Object `[]`', ['(GC roots)', 'Array `seen`', 'Object `[7]`', '(number)'], null, 1, 16);
  const folded = foldFindings([object, number]);
  assert.equal(folded.length, 1);
  assert.equal(folded[0]!.className, 'Object');
  assert.equal(folded[0]!.countPerRequest, 1);
  assert.deepEqual((folded[0]!.evidence.alsoGrowing as { group: string }[]).map((g) => g.group), ['(number) via Object `[]`']);
});

test('one class split over two retainer signatures with one holder adds up', () => {
  const next = finding('Timeout', '_idleNext', ['(GC roots)', 'TimersList', 'Timeout `_idleNext`'], 'Object `timerListMap`', 0.5, 136);
  const prev = finding('Timeout', '_idlePrev', ['(GC roots)', 'TimersList', 'Timeout `_idlePrev`'], 'Object `timerListMap`', 0.5, 136);
  const folded = foldFindings([next, prev]);
  assert.equal(folded.length, 1);
  assert.equal(folded[0]!.countPerRequest, 1);
  assert.equal(folded[0]!.bytesPerRequest, 272);
});

test('two leaks in different holders stay two findings', () => {
  const a = finding('Order', 'Map `orders`', ['(GC roots)', 'Map `orders`', 'Order'], 'Map `orders` in module a.mjs');
  const b = finding('Visit', 'Set `visits`', ['(GC roots)', 'Set `visits`', 'Visit'], 'Set `visits` in module a.mjs');
  assert.equal(foldFindings([a, b]).length, 2);
});

test('a named class is kept before the closures and contexts of the same leak, whatever the path lengths', () => {
  const closure = finding('(closure)', '_onTimeout', ['(GC roots)', 'TimersList', 'Timeout `_idleNext`', '(closure) `_onTimeout`'], 'Object `timerListMap`', 1, 60);
  const timeout = finding('Timeout', '_idleNext', ['(GC roots)', 'TimersList', 'Timeout `_idleNext`', 'Timeout `_idleNext`', 'Timeout `_idleNext`'], 'Object `timerListMap`', 1, 136);
  const folded = foldFindings([closure, timeout]);
  assert.equal(folded.length, 1);
  assert.equal(folded[0]!.className, 'Timeout');
});
