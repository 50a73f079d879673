import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldLibraryFrames, isLibraryFrame, pickCreationSites, type SourceFrame } from './creation-site.js';

const frame = (functionName: string, file: string, line = 1, column = 1): SourceFrame => ({ functionName, file, line, column });
const push = frame('push', '');
const handle = frame('handle', '/app/src/routes.ts', 42, 7);
const other = frame('other', '/app/src/other.ts', 3, 1);
const router = frame('handle', '/app/node_modules/express/lib/router/layer.js', 95, 5);
const next = frame('next', '/app/node_modules/express/lib/router/route.js', 149, 13);
const emit = frame('emit', 'node:events', 517, 28);

test('library frames are node_modules, node: modules and V8 builtins', () => {
  assert.equal(isLibraryFrame(push), true);
  assert.equal(isLibraryFrame(router), true);
  assert.equal(isLibraryFrame(emit), true);
  assert.equal(isLibraryFrame(frame('x', 'internal/timers')), true);
  assert.equal(isLibraryFrame(handle), false);
  assert.equal(isLibraryFrame(frame('x', 'file:///app/server.mjs')), false);
});

test('the creation site is the first user frame, ranked by share over sites', () => {
  const picked = pickCreationSites([
    { frames: [push, handle, router, next], count: 90 },
    { frames: [other, router], count: 10 },
    { frames: [handle, router, emit], count: 20 },
  ]);
  assert.deepEqual(picked.creationSite, handle);
  assert.deepEqual(picked.creationSites.map((s) => [s.site.functionName, s.share]), [['handle', 110 / 120], ['other', 10 / 120]]);
  // the most common stack of the top site, top first, with library frames marked
  assert.deepEqual(picked.creationStack.map((f) => [f.functionName, f.library ?? false]), [
    ['push', true], ['handle', false], ['handle', true], ['next', true],
  ]);
});

test('a stack of library frames only names its first package frame (node: internals only carry the work out)', () => {
  const picked = pickCreationSites([{ frames: [emit, router], count: 3 }]);
  assert.equal(picked.creationSite?.functionName, 'handle', 'express\'s frame, not node:events');
  assert.equal(picked.creationSite?.library, true);
  assert.equal(pickCreationSites([{ frames: [emit], count: 3 }]).creationSite?.functionName, 'emit', 'without a package frame, the top one');
});

test('no stacks give no site', () => {
  assert.deepEqual(pickCreationSites([]), { creationSite: null, creationStack: [], creationSites: [] });
});

test('runs of library frames fold into one line naming their packages', () => {
  assert.deepEqual(foldLibraryFrames([push, handle, router, next, emit]), [
    '  (push (native))',
    'handle (/app/src/routes.ts:42:7)',
    '  … 3 library frames (express, node:events)',
  ]);
});
