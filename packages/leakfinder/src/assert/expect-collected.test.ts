// The lists for expectCollected: what must be reported with its holder, what must pass, and the
// usage error for primitives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LeakfinderError } from '../errors.js';
import { expectCollected } from './index.js';

interface Failure {
  message: string;
  retainerPath: string[];
  holder: { description: string } | null;
}

async function failureOf(pending: Promise<void>): Promise<Failure> {
  try {
    await pending;
  } catch (error) {
    assert.ok(error instanceof assert.AssertionError, `expected an AssertionError, got ${String(error)}`);
    return error as unknown as Failure;
  }
  assert.fail('expectCollected passed, but the object is still held');
}

const moduleMap = new Map<string, object>();
const keptSides: object[] = [];
const keptClosures: (() => unknown)[] = [];

describe('expectCollected fails with the retainer path of what still holds the object', () => {
  test('an object still held by a module Map', async () => {
    let session: object | undefined = { user: 'ada' };
    moduleMap.set('current', session);
    const pending = expectCollected(session, { timeoutMs: 200 });
    session = undefined;
    const failure = await failureOf(pending);
    assert.match(failure.holder?.description ?? '', /Map `moduleMap`/);
    assert.match(failure.retainerPath.join(' → '), /Map `moduleMap`/);
    assert.match(failure.message, /held by: +Map `moduleMap`/);
    assert.match(failure.message, /retainer path: .*Map `moduleMap`/);
    moduleMap.clear();
  });

  test('a cycle where only one side was released', async () => {
    let a: { other?: object } | undefined = {};
    const b: { other?: object } = { other: a };
    a.other = b;
    keptSides.push(b); // b stays, and b.other keeps a
    const pending = expectCollected(a, { timeoutMs: 200 });
    a = undefined;
    const failure = await failureOf(pending);
    assert.match(failure.retainerPath.join(' → '), /Array `keptSides` → Object `\[\d+\]` → Object `other`/);
    keptSides.length = 0;
  });

  test('an object a closure still captures', async () => {
    let captured: { big: number[] } | undefined = { big: [1, 2, 3] };
    const pending = expectCollected(captured, { timeoutMs: 200 });
    keptClosures.push(((held) => () => held.big.length)(captured));
    captured = undefined;
    const failure = await failureOf(pending);
    const path = failure.retainerPath.join(' → ');
    assert.match(path, /Array `keptClosures`/);
    assert.match(path, /\(closure scope\)|context|`held`/);
    keptClosures.length = 0;
  });
});

describe('expectCollected passes once every reference is released', () => {
  const kinds: [string, () => object][] = [
    ['an object', () => ({ a: 1 })],
    ['a function', () => () => 42],
    ['an array', () => [1, 2, 3]],
    ['a RegExp', () => /leak(finder)?/g],
    ['a Date', () => new Date()],
    ['Object.create(null)', () => Object.create(null) as object],
  ];
  for (const [name, make] of kinds) {
    test(`${name}, released after the call`, async () => {
      let value: object | undefined = make();
      // A function argument is a factory (it is called for the object), so a function is checked through one.
      const pending = typeof value === 'function' ? expectCollected(() => value!) : expectCollected(value, { timeoutMs: 1_000 });
      value = undefined;
      await pending;
      assert.equal(value, undefined);
    });
  }

  test('a fully released cycle', async () => {
    let a: { other?: object } | undefined = {};
    let b: { other?: object } | undefined = { other: a };
    a.other = b;
    const pending = expectCollected(a, { timeoutMs: 1_000 });
    a = undefined;
    b = undefined;
    await pending;
    assert.equal(b, undefined);
  });

  test('a factory: the object is made for the check and never held by the caller', async () => {
    await expectCollected(() => ({ made: 'here' }), { timeoutMs: 1_000 });
  });
});

describe('expectCollected usage errors', () => {
  for (const value of [42, 'text', true, Symbol('s'), undefined, null, 10n]) {
    test(`a primitive (${typeof value === 'symbol' ? 'symbol' : String(value)}) rejects with LF_OPTION_INVALID`, async () => {
      await assert.rejects(expectCollected(value as never), (e) => LeakfinderError.is(e) && e.code === 'LF_OPTION_INVALID' && /only objects and functions/.test(e.message));
    });
  }

  test('a factory that returns a primitive or a Promise', async () => {
    await assert.rejects(expectCollected((() => 7) as never), (e) => LeakfinderError.is(e) && /the function returned number/.test(e.message));
    await assert.rejects(expectCollected(async () => ({})), (e) => LeakfinderError.is(e) && /returned a Promise/.test(e.message));
  });

  test('bad options', async () => {
    await assert.rejects(expectCollected({}, { timeoutMs: -1 }), (e) => LeakfinderError.is(e) && /timeoutMs/.test(e.message));
    await assert.rejects(expectCollected({}, { timeout: 5 } as never), (e) => LeakfinderError.is(e) && /unknown option `timeout`/.test(e.message));
  });
});
