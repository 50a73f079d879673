import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findAllocation, findAllocationLine, findCall, findCallLine } from './allocation-line.js';

const server = [
  "import express from 'express';", // 1
  'const cache = new Map();', // 2
  "app.get('/users/:id', (req, res) => {", // 3: the arrow starts at column 23
  '  const note = `a ${req.params.id} {`; // a template with a brace', // 4
  "  if (req.query.x === '}') return;", // 5
  '  cache.set(req.params.id, new UserRecord(req.params.id));', // 6
  '  res.json(items.map((x) => new UserRecord(x)));', // 7: nested arrow, its own frame
  "  cache.set('meta', { at: Date.now() });", // 8
  '  helper(req);', // 9
  '});', // 10
  'function helper(req) { return [req.url]; }', // 11
].join('\n');

test('finds the `new` of the leaked class inside the function, ignoring nested functions', () => {
  assert.deepEqual(findAllocationLine(server, { line: 3, column: 23 }, 'UserRecord'), { line: 6, column: 28 });
});

test('finds object and array literals in expression position', () => {
  assert.deepEqual(findAllocationLine(server, { line: 3, column: 23 }, 'Object'), { line: 8, column: 21 });
  assert.deepEqual(findAllocationLine(server, { line: 11, column: 16 }, 'Array'), { line: 11, column: 31 });
});

test('answers null when the class is not created in that function, or the position is not a function', () => {
  assert.equal(findAllocationLine(server, { line: 3, column: 23 }, 'Session'), null);
  assert.equal(findAllocationLine(server, { line: 99, column: 1 }, 'UserRecord'), null);
  assert.equal(findAllocationLine(server, { line: 2, column: 15 }, 'Map'), null);
});

test('answers null when several candidates make the line a guess', () => {
  const text = 'function f(a) {\n  const x = new Foo();\n  return new Foo(x);\n}';
  assert.equal(findAllocationLine(text, { line: 1, column: 11 }, 'Foo'), null);
});

test('an expression-bodied arrow is searched up to its end', () => {
  const text = 'list.forEach((x) => kept.push(new Foo(x)));\nconst y = new Foo();';
  assert.deepEqual(findAllocationLine(text, { line: 1, column: 14 }, 'Foo'), { line: 1, column: 31 });
});

test('finds the call of the next frame inside its caller', () => {
  assert.deepEqual(findCallLine(server, { line: 3, column: 23 }, 'helper'), { line: 9, column: 3 });
  assert.deepEqual(findCallLine(server, { line: 3, column: 23 }, 'set'), { line: 6, column: 9 });
  assert.equal(findCallLine(server, { line: 3, column: 23 }, 'missing'), null);
});

test('a closure is created where its function expression stands in the enclosing function', () => {
  const text = "function attach(emitter) {\n  const x = 1;\n  emitter.on('data', function onData(chunk) { return [chunk]; });\n}";
  assert.deepEqual(findAllocationLine(text, { line: 1, column: 16 }, 'onData'), { line: 3, column: 22 });
  const arrow = 'function attach(emitter) {\n  const onData = (chunk) => chunk;\n  emitter.on("data", onData);\n}';
  assert.deepEqual(findAllocationLine(arrow, { line: 1, column: 16 }, 'onData'), { line: 2, column: 9 });
});

test('async arrows start at `async`, and their body is searched', () => {
  const text = "app.use(async (ctx) => {\n  const visit = new Visit(ctx.path);\n  visits.add(visit);\n});";
  assert.deepEqual(findAllocationLine(text, { line: 1, column: 9 }, 'Visit'), { line: 2, column: 17 });
});

test('of several object literals, the one handed to a collection is the stored one', () => {
  const text = [
    'app.get("/", async (request) => {', // 1
    '  const at = Date.now();', // 2
    '  seen.push({ url: request.url, at });', // 3
    '  return { ok: true };', // 4
    '});', // 5
  ].join('\n');
  assert.deepEqual(findAllocationLine(text, { line: 1, column: 15 }, 'Object'), { line: 3, column: 13 });
  const assigned = 'function f(k) {\n  const body = { k };\n  cache[k] = { k, at: 1 };\n  return body;\n}';
  assert.deepEqual(findAllocationLine(assigned, { line: 1, column: 11 }, 'Object'), { line: 3, column: 14 });
});

test('two creations of the class leave the line unknown but still count as creating it', () => {
  const text = 'function f(a) {\n  const x = new Foo();\n  return new Foo(x);\n}';
  assert.deepEqual(findAllocation(text, { line: 1, column: 11 }, 'Foo'), { position: null, candidateCount: 2 });
  assert.deepEqual(findAllocation(text, { line: 1, column: 11 }, 'Bar'), { position: null, candidateCount: 0 });
});

test('a factory\'s Reflect.construct and Object.create count as creating the object (#12)', () => {
  const factory = ['function createModel(Model, id) {', '  const args = [id];', '  return Reflect.construct(Model, args);', '}'].join('\n');
  assert.deepEqual(findAllocationLine(factory, { line: 1, column: 1 }, 'OrderModel'), { line: 3, column: 10 });
  const koa = ['function createContext(req) {', '  const context = Object.create(this.context);', '  context.req = req;', '  return context;', '}'].join('\n');
  assert.deepEqual(findAllocationLine(koa, { line: 1, column: 1 }, 'Object'), { line: 2, column: 19 });
});

test('findCall counts the calls: the first of several is returned, and the count says it is a guess', () => {
  const koa = ['function createContext(req) {', '  const context = Object.create(this.context);', '  const request = (context.request = Object.create(this.request));', '  return context;', '}'].join('\n');
  assert.deepEqual(findCall(koa, { line: 1, column: 1 }, 'create'), { position: { line: 2, column: 26 }, callCount: 2 });
  assert.equal(findCall(server, { line: 3, column: 23 }, 'helper').callCount, 1);
});
