import { describe as describeOrTop, test } from 'vitest';
import { expectNoLeak } from 'leakfinder/assert';

const seen = [];

describeOrTop('leakfinder/assert in Vitest', () => {
  test('passes: pushes into a local array', async () => {
    await expectNoLeak(() => {
      const local = [];
      local.push({ foo: 'bar' });
    });
  });

  test('fails: pushes into an outer array', async () => {
    await expectNoLeak(() => {
      seen.push({ foo: 'bar' }); // the leaking line
    });
  });
});
