// The rest of the lists for expectNoLeak (npm run test:quality: five heap snapshots per case), and
// the assertion's own noise: 50 runs of a no-op without a single failure.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { assertCreatedAt, leakOf, sourceOf } from '../../test/helpers/assert-cases.js';
import { expectNoLeak } from './index.js';

const source = sourceOf(import.meta.url);
const longLived = new EventEmitter();
longLived.setMaxListeners(0);
const cacheByIteration = new Map<number, { value: number }>();
const moduleCallbacks = new Set<() => number>();
const everyTenth: object[] = [];

describe('expectNoLeak fails, naming the culprit (long list)', () => {
  test('a listener added to a long-lived emitter per call', async () => {
    const { error, leak } = await leakOf(() =>
      expectNoLeak((i) => {
        longLived.on('data', () => i); // LEAK-LISTENER
      }),
    );
    assert.match(`${leak.holder?.description ?? ''} ${leak.retainerPath.join(' ')}`, /listener|_events/);
    assert.match(error.message, /data/);
    assert.match(leak.advice, /listener/i);
    longLived.removeAllListeners('data');
  });

  test('a Map cache keyed by the iteration', async () => {
    const { leak } = await leakOf(() =>
      expectNoLeak((i) => {
        cacheByIteration.set(i, { value: i }); // LEAK-MAP
      }),
    );
    assert.match(leak.holder?.description ?? '', /Map `cacheByIteration`/);
    assert.match(leak.advice, /Map `cacheByIteration`/);
    assertCreatedAt(leak, source, 'LEAK-MAP');
    cacheByIteration.clear();
  });

  test('a timer per call that is never cleared', async () => {
    const { leak } = await leakOf(() =>
      expectNoLeak(() => {
        setTimeout(() => undefined, 3_600_000).unref(); // LEAK-TIMER (unref: the test process may still exit)
      }),
    );
    assert.match(`${leak.className} ${leak.group} ${leak.retainerPath.join(' ')}`, /Timeout|Timer/);
    assert.match(leak.advice, /clear/i);
  });

  test('a closure kept in a module Set', async () => {
    const { leak } = await leakOf(() =>
      expectNoLeak((i) => {
        moduleCallbacks.add(() => i); // LEAK-CLOSURE
      }),
    );
    assert.match(leak.group, /Set `moduleCallbacks`/);
    assert.match(leak.holder?.description ?? '', /Set `moduleCallbacks`/);
    moduleCallbacks.clear();
  });

  test('one object kept every 10th iteration', async () => {
    const { leak } = await leakOf(() =>
      expectNoLeak((i) => {
        if (i % 10 === 0) everyTenth.push({ kept: i }); // LEAK-TENTH
      }),
    );
    assert.match(leak.group, /Array `everyTenth`/);
    assert.ok(leak.objectsPerIteration > 0.05 && leak.objectsPerIteration < 0.15, String(leak.objectsPerIteration));
    assertCreatedAt(leak, source, 'LEAK-TENTH');
  });
});

let lazyCache: Map<string, string> | undefined;
function lazyLookup(key: string): string | undefined {
  if (lazyCache === undefined) {
    lazyCache = new Map();
    for (let k = 0; k < 200; k++) lazyCache.set(`key${k}`, `value ${k}`);
  }
  return lazyCache.get(key);
}

describe('expectNoLeak passes (long list)', () => {
  let server: Server;
  let url = '';
  before(async () => {
    server = createServer((_req, res) => res.end('x'.repeat(256)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('pushes into a local array, sync', async () => {
    await expectNoLeak(() => {
      const local: object[] = [];
      local.push({ foo: 'bar' });
    });
  });

  test('a sync no-op', async () => {
    await expectNoLeak(() => undefined);
  });

  test('pushes into a local array, async', async () => {
    await expectNoLeak(async (i) => {
      const local: object[] = [];
      await new Promise((resolve) => setTimeout(resolve, 20));
      local.push({ i, describe: () => `call ${i}` });
    });
  });

  test('a 10 ms timer that ends', async () => {
    await expectNoLeak(() => new Promise((resolve) => setTimeout(resolve, 10)));
  });

  test('300 native fetch calls to a local server, each with the body consumed', async () => {
    await expectNoLeak(
      async () => {
        const response = await fetch(url);
        assert.equal((await response.text()).length, 256);
      },
      { iterations: 300 },
    );
  });

  test('a function that allocates and drops 10 MB each call', async () => {
    await expectNoLeak(() => {
      const block = new Uint8Array(10 * 1024 * 1024);
      block.fill(1);
      return block.length;
    });
  });

  test('a lazily built module cache that fills on the first call', async () => {
    await expectNoLeak((i) => lazyLookup(`key${i % 200}`));
  });

  test('the assertion\'s own noise: 50 runs of a no-op, sync and async alternating, without a failure', async () => {
    const runs = Number(process.env['LEAKFINDER_NOISE_RUNS'] ?? 50);
    for (let run = 0; run < runs; run++) {
      await expectNoLeak(run % 2 === 0 ? () => undefined : async () => undefined);
    }
  });
});
