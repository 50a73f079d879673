'use strict';
// `require('leakfinder/assert')` from CommonJS. leakfinder is an ES module package; Node's own require()
// loads ES modules from Node 20.19 on (require(esm)). Jest's module registry does not before Node 24.9, and
// it also replaces `require('node:module')` and `process.getBuiltinModule` inside its sandbox, so the load
// is handed to Node's real module system: `Function` of a Node core object belongs to the outer realm, where
// `process` is the real one. The module then lives outside Jest's registry, which changes nothing here: the
// assertions measure the whole V8 heap of the process either way.
const OuterFunction = require('node:util').inspect.constructor;
const realProcess = OuterFunction('return process')();
const nodeModule = typeof realProcess.getBuiltinModule === 'function' ? realProcess.getBuiltinModule('node:module') : require('node:module');
module.exports = nodeModule.createRequire(__filename)('../dist/src/assert/index.js');
