const { expectNoLeak } = require('leakfinder/assert');

const seen = [];

describe('leakfinder/assert in Jest (CommonJS)', () => {
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
