// Load-driver throughput (issue #15): plain requests (LoadDriver, node:http) against a scenario of one
// `fetch` per iteration (ScenarioDriver, Node's fetch) and of two, on the same in-process-free server.
// A benchmark, not a test: prints requests per second and the ratio. Needs `npm run build` at the root.
//   node bench/scenario-driver.mjs [requests=3000] [concurrency=8]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadDriver } from '../packages/leakfinder/dist/src/runner/load.js';
import { loadScenario } from '../packages/leakfinder/dist/src/runner/load-scenario.js';
import { ScenarioDriver } from '../packages/leakfinder/dist/src/runner/scenario-driver.js';

const count = Number(process.argv[2] ?? 3000);
const concurrency = Number(process.argv[3] ?? 8);
const dir = mkdtempSync(join(tmpdir(), 'lf-bench-scenario-'));
const port = 20000 + Math.floor(Math.random() * 20000);
// The server runs in its own process, as under `check`, so the driver's CPU is what differs.
writeFileSync(join(dir, 'server.mjs'), `import { createServer } from 'node:http';
createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); }).listen(${port}, '127.0.0.1', () => console.log('ready'));`);
writeFileSync(join(dir, 'one.mjs'), `export default async function ({ fetch }) { await (await fetch('/')).text(); }`);
writeFileSync(join(dir, 'two.mjs'), `export default async function ({ fetch }) { await (await fetch('/')).text(); await (await fetch('/x')).text(); }`);
const server = spawn(process.execPath, [join(dir, 'server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((r) => server.stdout.once('data', r));
const baseUrl = `http://127.0.0.1:${port}`;
try {
  const results = [];
  const time = async (name, driver, requestsPer) => {
    await driver.run(300); // warm both sides
    const started = performance.now();
    await driver.run(count);
    const seconds = (performance.now() - started) / 1000;
    await driver.close();
    results.push({ name, perSecond: (count * requestsPer) / seconds });
  };
  await time('LoadDriver (node:http)', new LoadDriver({ baseUrl, paths: ['/'], method: 'GET', headers: {}, concurrency }), 1);
  for (const [name, file, per] of [['scenario, 1 fetch/iteration', 'one.mjs', 1], ['scenario, 2 fetch/iteration', 'two.mjs', 2]]) {
    await time(name, await ScenarioDriver.start({ baseUrl, scenario: await loadScenario(join(dir, file)), concurrency, iterationTimeoutMs: 10_000 }), per);
  }
  const base = results[0].perSecond;
  console.log(`${count} units, concurrency ${concurrency}, Node ${process.version}`);
  for (const r of results) console.log(`${r.name.padEnd(30)} ${r.perSecond.toFixed(0).padStart(7)} HTTP requests/s  ${(r.perSecond / base).toFixed(2)}x`);
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
