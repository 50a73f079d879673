'use strict';
// `require('leakfinder/assert')` (Jest without --experimental-vm-modules, CommonJS tests): leakfinder is an
// ES module package. Node's own require() loads ES modules from Node 20.19 on (require(esm)); Jest's module
// registry does not, so this file hands the load to Node's require. The module then lives outside Jest's
// sandbox, which changes nothing here: the assertions measure the whole V8 heap of the process either way.
const { createRequire } = require('node:module');
module.exports = createRequire(__filename)('../dist/src/assert/index.js');
