// Quality bar of the session-per-request step (run with `node scripts/run-tests.mjs --quality session`):
// every session fixture at several K (requests per phase), repeated, printing whether each was detected and
// what it cost. The default K is the smallest that is right on every fixture, with a margin.
// Knobs: LF_SESSION_KS="5,10,20,40,60" (K values), LF_SESSION_REPEATS=3.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkSessions, sessionDefaults } from '../../src/check/sessions.js';
import { launchServer } from '../../src/runner/launch.js';
import { LoadDriver } from '../../src/runner/load.js';

const serversDir = fileURLToPath(new URL('../../../test/fixtures/servers/', import.meta.url));
const fixtures: { file: string; paths: string[]; leaks: boolean }[] = [
  { file: 'session-express-default.mjs', paths: ['/'], leaks: true },
  { file: 'session-koa-external-store.mjs', paths: ['/'], leaks: true },
  { file: 'session-hand-rolled.mjs', paths: ['/'], leaks: true },
  { file: 'session-redirect.mjs', paths: ['/', '/broken'], leaks: true },
  { file: 'session-express-uninitialized-false.mjs', paths: ['/'], leaks: false },
  { file: 'session-single-cookie.mjs', paths: ['/'], leaks: false },
  { file: 'session-csrf-cookie.mjs', paths: ['/'], leaks: false },
  // healthy servers without session cookies: the step must stay out of the way
  { file: 'healthy-express.mjs', paths: ['/'], leaks: false },
  { file: 'leak-express-map.mjs', paths: ['/'], leaks: false }, // a per-request leak, but not a session one
];
const ks = (process.env['LF_SESSION_KS'] ?? `5,10,20,40,${sessionDefaults.requestsPerPhase}`).split(',').map(Number);
const repeats = Number(process.env['LF_SESSION_REPEATS'] ?? 3);

test('session step: detection and cost per fixture and K', { timeout: 60 * 60_000 }, async () => {
  const rows: string[] = [];
  const wrong: string[] = [];
  for (const fixture of fixtures) {
    for (const k of ks) {
      for (let r = 0; r < repeats; r++) {
        const command = [process.execPath, join(serversDir, fixture.file)];
        const directory = await mkdtemp(join(tmpdir(), 'lf-session-quality-'));
        const server = await launchServer({ command, startupTimeoutMs: 15_000, env: { ...process.env, NODE_OPTIONS: '' } });
        const load = new LoadDriver({ baseUrl: server.baseUrl, paths: fixture.paths, method: 'GET', headers: {}, concurrency: 4 });
        try {
          await load.run(200);
          const started = performance.now();
          const result = await checkSessions({
            server,
            command,
            paths: fixture.paths,
            method: 'GET',
            headers: {},
            directory,
            firstRequestNumber: load.sent + 1,
            requestsPerPhase: k,
          });
          const ms = Math.round(performance.now() - started);
          const detected = result.finding !== null;
          const outcome = result.assessment?.outcome ?? 'not run';
          rows.push(`${fixture.file.padEnd(42)} K=${String(k).padStart(3)} requests=${String(result.requests).padStart(4)} ${outcome.padEnd(15)} ${String(ms).padStart(6)} ms (snapshots ${Math.round(result.overheadMs)} ms)`);
          if (detected !== fixture.leaks) wrong.push(`${fixture.file} K=${k} run ${r}: ${outcome} (${result.assessment?.reason ?? ''})`);
        } finally {
          load.close();
          await server.stop();
          await rm(directory, { recursive: true, force: true });
        }
      }
    }
  }
  console.log(rows.join('\n'));
  console.log(wrong.length === 0 ? 'all right' : `wrong:\n${wrong.join('\n')}`);
  const atDefault = wrong.filter((w) => w.includes(` K=${sessionDefaults.requestsPerPhase} `));
  assert.deepEqual(atDefault, []);
});
