import { RuleTester } from '../../test/rule-tester.js';
import rule from './require-interval-cleanup.js';

new RuleTester().run('require-interval-cleanup', rule, {
  valid: [
    `export class Flusher { timer; constructor() { this.timer = setInterval(() => {}, 1000); } close() { clearInterval(this.timer); } }`,
    `setInterval(() => {}, 1000);`,
    // Not exported and only called at module level: runs once.
    `function createLimiter() { const hits = new Map(); setInterval(() => hits.clear(), 60000); return hits; }
     app.use(createLimiter());`,
    // Not a factory name.
    `function main() { setInterval(() => {}, 1000); } main();`,
    // NestJS lifecycle pair.
    `@Injectable() export class Sweeper { t; onModuleInit() { this.t = setInterval(() => {}, 1000); } onModuleDestroy() { clearInterval(this.t); } }`,
    {
      code: `export function spawnWorker() { setInterval(() => {}, 1000); }`,
      options: [{ factoryPattern: '^create[A-Z]' }],
    },
  ],
  invalid: [
    {
      code: `export class Poller {\n  constructor() {\n    setInterval(() => this.poll(), 5000);\n  }\n  poll() {}\n}`,
      errors: [{ messageId: 'intervalNeverCleared', data: { where: 'constructor' }, line: 3 }],
    },
    {
      code: `function createCache() {\n  const m = new Map();\n  setInterval(() => m.clear(), 1000);\n  return m;\n}\nmodule.exports = { createCache };`,
      errors: [{ messageId: 'intervalNeverCleared', data: { where: 'factory' }, line: 3 }],
    },
    {
      // Stored but never cleared.
      code: `export const makeTicker = () => {\n  const t = setInterval(() => {}, 1000);\n  return { t };\n};`,
      errors: [{ messageId: 'intervalNeverCleared', line: 2 }],
    },
    {
      code: `export function spawnWorker() {\n  setInterval(() => {}, 1000);\n}`,
      options: [{ factoryPattern: '^spawn[A-Z]' }],
      errors: [{ messageId: 'intervalNeverCleared', line: 2 }],
    },
  ],
});
