// The core of the lists for expectNoLeak, with the defaults: the sync and the async leak (culprit,
// holder, path, creation line), an async no-op and a throwing function. The rest of the lists, and the
// 50-run noise check, are in expect-no-leak-cases.quality.ts (npm run test:quality): each assertion takes
// five heap snapshots, about 5 s of CPU. Pushes into a local array pass in every runner's e2e project.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LeakfinderError } from '../errors.js';
import { assertCreatedAt, leakOf, sourceOf } from '../../test/helpers/assert-cases.js';
import { expectNoLeak } from './index.js';

const source = sourceOf(import.meta.url);
const leakedSync: object[] = [];
const leakedAsync: object[] = [];

describe('expectNoLeak fails, naming the culprit', () => {
  test('a sync function that pushes {foo: "bar"} to an outer array', async () => {
    const { error, leak } = await leakOf(() =>
      expectNoLeak(() => {
        leakedSync.push({ foo: 'bar' }); // LEAK-SYNC
      }),
    );
    assert.equal(leak.className, 'Object');
    assert.match(leak.group, /Array `leakedSync`/);
    assert.ok(leak.objectsPerIteration > 0.9 && leak.objectsPerIteration < 1.1, String(leak.objectsPerIteration));
    assert.ok(leak.bytesPerIteration > 0);
    assert.match(leak.holder?.description ?? '', /Array `leakedSync` in module expect-no-leak\.test\.js/);
    assert.match(leak.retainerPath.join(' → '), /Array `leakedSync` → Object/);
    assertCreatedAt(leak, source, 'LEAK-SYNC');
    assert.match(error.message, /Array `leakedSync`/);
    assert.match(error.message, /\+1 object, \d+ B per call/);
    assert.match(error.message, /held by: +Array `leakedSync`/);
    assert.match(error.message, /created at: +\S+ \(.*expect-no-leak\.test\.ts:\d+:\d+\)/);
  });

  test('an async function that waits 20 ms, then pushes an object with a method', async () => {
    const started = performance.now();
    const { leak } = await leakOf(() =>
      expectNoLeak(async (i) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        leakedAsync.push({ i, describe: () => `call ${i}` }); // LEAK-ASYNC
      }),
    );
    assert.equal(leak.className, 'Object');
    assert.match(leak.group, /Array `leakedAsync`/);
    assertCreatedAt(leak, source, 'LEAK-ASYNC');
    assert.ok(performance.now() - started > 110 * 20, 'every call waited its 20 ms');
  });
});

describe('expectNoLeak passes (no false alarm)', () => {
  test('an async no-op', async () => {
    await expectNoLeak(async () => undefined);
  });

  test('a function that throws: the assertion reports its error, not a leak', async () => {
    const boom = new Error('boom from the tested function');
    await assert.rejects(
      expectNoLeak(() => {
        throw boom;
      }),
      (error) => error === boom,
    );
    await assert.rejects(
      expectNoLeak((i) => {
        if (i === 40) throw boom; // in a measured batch, after the warm-up
      }),
      (error) => error === boom,
    );
  });
});

describe('expectNoLeak usage errors', () => {
  test('bad arguments reject with LF_OPTION_INVALID before running anything', async () => {
    let calls = 0;
    const count = (): void => {
      calls++;
    };
    await assert.rejects(expectNoLeak(count, { iterations: 2 }), (e) => LeakfinderError.is(e) && e.code === 'LF_OPTION_INVALID' && /iterations/.test(e.message));
    await assert.rejects(expectNoLeak(count, { batches: 2 }), (e) => LeakfinderError.is(e) && /batches/.test(e.message));
    await assert.rejects(expectNoLeak(count, { iteration: 5 } as never), (e) => LeakfinderError.is(e) && /unknown option `iteration`/.test(e.message));
    await assert.rejects(expectNoLeak('nope' as never), (e) => LeakfinderError.is(e) && /must be a function/.test(e.message));
    assert.equal(calls, 0);
  });

  test('an aborted signal rejects with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    await assert.rejects(
      expectNoLeak(
        (i) => {
          if (i === 3) controller.abort(reason);
        },
        { signal: controller.signal },
      ),
      (e) => e === reason,
    );
  });
});
