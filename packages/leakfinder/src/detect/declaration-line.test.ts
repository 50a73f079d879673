import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDeclarationLine } from './declaration-line.js';

test('finds the line of a module-level const', () => {
  const source = "import express from 'express';\n\nconst recentRequests = new Map();\napp.get('/', () => {});\n";
  assert.equal(findDeclarationLine(source, 'recentRequests'), 3);
});

test('ignores a same-named local inside a function, and comments and strings', () => {
  const source = [
    '// const cache = old;',
    "const label = 'let cache = 1';",
    'function f() {',
    '  const cache = [];',
    '}',
    'export let cache = new Map();',
  ].join('\n');
  assert.equal(findDeclarationLine(source, 'cache'), 6);
});

test('finds a name inside a destructuring declaration', () => {
  assert.equal(findDeclarationLine('const x = 1;\nconst { seen, other } = makeState();\n', 'seen'), 2);
});

test('gives no line when the name is declared twice at the top level or not at all', () => {
  assert.equal(findDeclarationLine('var a = 1;\nvar a = 2;\n', 'a'), null);
  assert.equal(findDeclarationLine('const b = 1;\n', 'missing'), null);
  assert.equal(findDeclarationLine('const b = 1;\n', 'not a name'), null);
});

test('does not match a longer name that starts with the same letters', () => {
  assert.equal(findDeclarationLine('const cacheSize = 10;\nconst cache = [];\n', 'cache'), 2);
});
