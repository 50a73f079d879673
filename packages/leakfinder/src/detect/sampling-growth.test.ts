import assert from 'node:assert/strict';
import { Session } from 'node:inspector';
import { test } from 'node:test';
import { growingSampledStacks, type SamplingProfile } from './sampling-growth.js';

class SampledThing {
  readonly payload = new Array<number>(64).fill(1);
}

function keepThings(kept: SampledThing[], count: number): void {
  for (let i = 0; i < count; i++) kept.push(new SampledThing());
}

test('a real sampling profile: the stack that keeps allocating live memory ranks first, top frame first', async (t) => {
  const session = new Session();
  session.connect();
  t.after(() => session.disconnect());
  const post = <T>(method: string, params?: object): Promise<T> =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  const kept: SampledThing[] = [];
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 512 });
  const before = (await post<{ profile: SamplingProfile }>('HeapProfiler.getSamplingProfile')).profile;
  keepThings(kept, 5_000);
  const after = (await post<{ profile: SamplingProfile }>('HeapProfiler.getSamplingProfile')).profile;
  await post('HeapProfiler.stopSampling');
  const stacks = growingSampledStacks(before, after);
  assert.ok(stacks.length > 0);
  const names = stacks.slice(0, 3).flatMap((s) => s.frames.slice(0, 2).map((f) => f.functionName));
  assert.ok(names.includes('keepThings') || names.includes('SampledThing'), `top stacks: ${names.join(', ')}`);
  const top = stacks.find((s) => s.frames.some((f) => f.functionName === 'keepThings'))!;
  const frame = top.frames.find((f) => f.functionName === 'keepThings')!;
  assert.match(frame.scriptName, /sampling-growth\.test\.js$/);
  assert.ok(frame.line >= 1 && frame.column >= 1, 'positions are 1-based');
  assert.ok(top.count > 0);
  assert.equal(kept.length, 5_000);
});

test('stacks that did not grow are left out; the synthetic root is not a frame', () => {
  const call = (functionName: string, lineNumber: number) => ({ functionName, scriptId: '9', url: 'file:///a.js', lineNumber, columnNumber: 4 });
  const leaf = { id: 3, callFrame: call('grow', 10), children: [] };
  const flat = { id: 4, callFrame: call('flat', 20), children: [] };
  const head = { id: 1, callFrame: call('(root)', -1), children: [{ id: 2, callFrame: call('main', 0), children: [leaf, flat] }] };
  const before: SamplingProfile = { head, samples: [{ nodeId: 3, size: 100 }, { nodeId: 4, size: 300 }] };
  const after: SamplingProfile = { head, samples: [{ nodeId: 3, size: 100 }, { nodeId: 3, size: 500 }, { nodeId: 4, size: 300 }] };
  assert.deepEqual(growingSampledStacks(before, after), [
    {
      count: 500,
      frames: [
        { functionName: 'grow', scriptName: 'file:///a.js', scriptId: 9, line: 11, column: 5 },
        { functionName: 'main', scriptName: 'file:///a.js', scriptId: 9, line: 1, column: 5 },
      ],
    },
  ]);
});
