'use strict';
// The cases of bench/assert.mjs, shared by the three tools. CommonJS so that Jest's own require loads it
// inside each test file's environment (what --detectLeaks watches). `make()` returns one iteration
// function with fresh state; leaking cases keep their objects in module-level state of this file.
const { EventEmitter } = require('node:events');

const kept = { sync: [], async: [], tenth: [], closures: new Set(), cache: new Map(), numbers: [] };
const emitter = new EventEmitter();
emitter.setMaxListeners(0);
let lazy;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** name, whether it leaks, and the iteration. */
const cases = [
  { name: 'sync push {foo} to outer array', leaks: true, make: () => () => { kept.sync.push({ foo: 'bar' }); } },
  { name: 'async 20 ms, push object with method', leaks: true, make: () => async (i) => { await sleep(20); kept.async.push({ i, describe: () => i }); } },
  { name: 'listener per call on long-lived emitter', leaks: true, make: () => (i) => { emitter.on('data', () => i); } },
  { name: 'Map cache keyed by iteration', leaks: true, make: () => (i) => { kept.cache.set(i, { value: i }); } },
  { name: 'timer per call never cleared', leaks: true, make: () => () => { setTimeout(() => undefined, 3_600_000).unref(); } },
  { name: 'closure kept in module Set', leaks: true, make: () => (i) => { kept.closures.add(() => i); } },
  { name: 'one object every 10th call', leaks: true, make: () => (i) => { if (i % 10 === 0) kept.tenth.push({ i }); } },
  { name: 'number pushed to outer array (8 B, no object)', leaks: true, make: () => (i) => { kept.numbers.push(i + 0.5); } },
  { name: 'pushes into a local array', leaks: false, make: () => () => { const local = []; local.push({ foo: 'bar' }); } },
  { name: 'no-op (sync)', leaks: false, make: () => () => undefined },
  { name: 'no-op (async)', leaks: false, make: () => async () => undefined },
  { name: '10 ms timer that ends', leaks: false, make: () => () => sleep(10) },
  { name: 'allocate and drop 10 MB', leaks: false, make: () => () => new Uint8Array(10 * 1024 * 1024).fill(1).length },
  { name: 'lazy module cache filled on first call', leaks: false, make: () => (i) => {
    if (lazy === undefined) { lazy = new Map(); for (let k = 0; k < 200; k++) lazy.set(`k${k}`, { k }); }
    return lazy.get(`k${i % 200}`);
  } },
];

/** Keeps one `{ i }` every `every` calls: for the smallest leak caught by default. */
function everyNth(every) {
  const store = [];
  return (i) => { if (i % every === 0) store.push({ i }); };
}

module.exports = { cases, everyNth };
