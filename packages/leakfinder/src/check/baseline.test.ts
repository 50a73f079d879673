import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckReport } from '../report/model.js';
import { compareReports, readCheckReport } from './baseline.js';

const report = (verdict: CheckReport['verdict'], findings: unknown[] = []): CheckReport =>
  ({ schemaVersion: 1, tool: { name: 'leakfinder', version: '0.1.0' }, command: 'check', verdict, findings }) as unknown as CheckReport;
const leak = { kind: 'per-request-growth', className: 'Order', group: 'Order via Map `orders`', countPerRequest: 1, bytesPerRequest: 90, holder: null, creationSite: null };

test('an inconclusive run proves nothing: result "no verdict", even when the finding is gone', () => {
  const c = compareReports('before.json', report('leak', [leak]), report('inconclusive'));
  assert.equal(c.result, 'no verdict');
  assert.deepEqual(c.summary, { fixed: 1, smaller: 0, stillLeaking: 0, new: 0 });
  assert.equal(compareReports('before.json', report('leak', [leak]), report('clean')).result, 'pass');
  assert.equal(compareReports('before.json', report('clean'), report('leak', [leak])).result, 'fail');
});

test('only a leakfinder check report is read as a baseline; each refusal is one line naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-baseline-'));
  try {
    const write = (name: string, text: string): string => (writeFileSync(join(dir, name), text), name);
    assert.equal((await readCheckReport(write('ok.json', JSON.stringify(report('leak', [leak]))), dir, 'the baseline')).verdict, 'leak');
    const refusals: [string, RegExp][] = [
      [write('text.json', 'hello'), /text\.json is not a leakfinder check report \(not JSON/],
      [write('array.json', '[]'), /not a JSON object/],
      [write('other.json', '{"tool":{"name":"memlab"}}'), /no `"tool": \{"name": "leakfinder"\}`/],
      [write('analyze.json', JSON.stringify({ ...report('leak'), command: 'analyze' })), /it is a `analyze` report/],
      [write('v2.json', JSON.stringify({ ...report('leak'), schemaVersion: 2 })), /schemaVersion 2/],
      [write('bad-finding.json', JSON.stringify(report('leak', [{ group: 'x' }]))), /findings\[0\] lacks/],
    ];
    for (const [name, message] of refusals) {
      await assert.rejects(readCheckReport(name, dir, 'the baseline'), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'LF_REPORT_INVALID');
        assert.match(e.message, message);
        assert.equal(e.message.includes('\n'), false);
        return true;
      });
    }
    await assert.rejects(readCheckReport('missing.json', dir, 'the baseline'), { code: 'LF_FILE_NOT_FOUND' });
    await assert.rejects(readCheckReport('.', dir, 'the baseline'), { code: 'LF_FILE_UNREADABLE' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
