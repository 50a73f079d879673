export * from '../dist/src/assert/index.js';
