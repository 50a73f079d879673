import { expectNoLeak } from 'leakfinder/assert';

const seen = [];

describe('leakfinder/assert in Mocha', () => {
  it('passes: pushes into a local array', async () => {
    await expectNoLeak(() => {
      const local = [];
      local.push({ foo: 'bar' });
    });
  });

  it('fails: pushes into an outer array', async () => {
    await expectNoLeak(() => {
      seen.push({ foo: 'bar' }); // the leaking line
    });
  });
});
