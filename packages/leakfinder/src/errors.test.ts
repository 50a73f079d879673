import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LeakfinderError, errorCodes } from './errors.js';

const docsPath = new URL('../../../../docs/errors.md', import.meta.url);

test('every error code has a section in docs/errors.md, and every section names a code', () => {
  const doc = readFileSync(docsPath, 'utf8');
  const documented = [...doc.matchAll(/^## (LF_[A-Z_]+)$/gm)].map((m) => m[1]);
  assert.deepEqual([...documented].sort(), [...errorCodes].sort());
});

test('LeakfinderError.is recognises errors by brand, not by instanceof', () => {
  const error = new LeakfinderError('LF_TIMEOUT', 'took too long');
  assert.equal(LeakfinderError.is(error), true);
  assert.equal(LeakfinderError.is(new Error('plain')), false);
  assert.equal(LeakfinderError.is(Object.create(LeakfinderError.prototype)), true);
  assert.equal(error.code, 'LF_TIMEOUT');
  assert.equal(error.isUsageError, false);
});
