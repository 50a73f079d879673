import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check, checkDefaults, resolveCheckOptions, type CheckOptions } from './check.js';

test('defaults fill in, with the window one checkpoint longer than the intervals', () => {
  const o = resolveCheckOptions({ command: ['node', 'server.js'] });
  assert.deepEqual(o.paths, ['/']);
  assert.equal(o.method, 'GET');
  assert.equal(o.requests, checkDefaults.requests);
  assert.equal(o.warmup, checkDefaults.warmup);
  assert.equal(o.limits.minCheckpoints, checkDefaults.checkpoints + 1);
  assert.equal(o.cookies, false);
});

test('bad options are usage errors that name the option and the value', () => {
  const bad = (input: Partial<CheckOptions>, message: RegExp): void => {
    assert.throws(() => resolveCheckOptions({ command: ['node', 's.js'], ...input } as CheckOptions), (e: unknown) => {
      assert.equal((e as { code: string }).code, 'LF_OPTION_INVALID');
      assert.match((e as Error).message, message);
      return true;
    });
  };
  bad({ requests: 0 }, /`--requests` must be an integer ≥ 1, got 0/);
  bad({ checkpoints: 3 }, /`--checkpoints` must be an integer ≥ 4, got 3/);
  bad({ requests: 3, checkpoints: 4 }, /`--requests` \(3\) must be at least `--checkpoints` \(4\)/);
  bad({ paths: ['orders'] }, /`--path` must start with "\/", got "orders"/);
  bad({ concurrency: 1.5 }, /`--concurrency` must be an integer/);
  bad({ requestz: 5 } as Partial<CheckOptions>, /unknown option `requestz`/);
  bad({ command: [] }, /no server command given/);
});

test('check() rejects bad options before starting anything', async () => {
  await assert.rejects(check({ command: ['node', 's.js'], warmup: -1 }), { code: 'LF_OPTION_INVALID' });
});
