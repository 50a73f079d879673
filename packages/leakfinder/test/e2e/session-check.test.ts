// The session-per-request step against real servers (express-session, koa-session, a hand-rolled map, and the
// healthy look-alikes): launched under the inspector, warmed up, then probed with the default K. One run goes
// through the `leakfinder check` CLI end to end. Each test takes a few seconds (four heap snapshots).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkSessions, type CheckSessionsResult } from '../../src/check/sessions.js';
import { launchServer } from '../../src/runner/launch.js';
import { LoadDriver } from '../../src/runner/load.js';

// dist/test/e2e/ → packages/leakfinder/
const packageDir = fileURLToPath(new URL('../../../', import.meta.url));
const serversDir = join(packageDir, 'test/fixtures/servers');
const warmupRequests = 100;

async function probe(t: TestContext, fixture: string, paths: readonly string[] = ['/']): Promise<CheckSessionsResult> {
  const command = [process.execPath, join(serversDir, fixture)];
  const directory = await mkdtemp(join(tmpdir(), 'lf-session-test-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const server = await launchServer({ command, startupTimeoutMs: 15_000, env: { ...process.env, NODE_OPTIONS: '' } });
  t.after(() => server.stop());
  const load = new LoadDriver({ baseUrl: server.baseUrl, paths, method: 'GET', headers: {}, concurrency: 4 });
  t.after(() => load.close());
  await load.run(warmupRequests);
  return checkSessions({ server, command, paths, method: 'GET', headers: {}, directory, firstRequestNumber: load.sent + 1 });
}

function summaryOf(result: CheckSessionsResult): string[] {
  return (result.finding?.evidence['summary'] as string[] | undefined) ?? [];
}

test('express-session defaults: a session-per-request finding naming MemoryStore, the app.use line and the fix', async (t) => {
  const result = await probe(t, 'session-express-default.mjs');
  assert.equal(result.assessment?.outcome, 'leak', result.assessment?.reason);
  const finding = result.finding!;
  assert.equal(finding.kind, 'session-per-request');
  const summary = summaryOf(result);
  assert.match(summary[0]!, /^every cookie-less response set a new session cookie `connect\.sid` \((\d+) of \1\), while replaying one cookie set none \(0 of \d+\)$/);
  assert.match(summary[1]!, /^MemoryStore\.sessions \+1 entry per cookie-less request/);
  const responsible = finding.evidence['responsible'] as { kind: string; installSite: { file: string; line: number; foundBy: string }; libraryFrame: { file: string } | null };
  assert.equal(responsible.kind, 'middleware-install');
  assert.equal(responsible.installSite.file, join(serversDir, 'session-express-default.mjs'));
  assert.equal(responsible.installSite.line, 8); // app.use(session({ ... }))
  assert.equal(responsible.installSite.foundBy, 'static-search');
  assert.match(responsible.libraryFrame?.file ?? '', /node_modules[/\\]express-session[/\\]/);
  // no user line allocates the stored JSON string: the creation site is the install line, found statically (#12)
  assert.deepEqual(
    { file: finding.creationSite?.file, line: finding.creationSite?.line, foundBy: finding.creationSite?.foundBy, confidence: finding.creationSite?.confidence },
    { file: join(serversDir, 'session-express-default.mjs'), line: 8, foundBy: 'static-search', confidence: 'likely' },
  );
  assert.equal(finding.evidence['framework'], 'express-session');
  assert.match(finding.advice, /saveUninitialized: false/);
  assert.deepEqual(result.warnings, []);
});

test('koa-session with a never-expiring external store is a session leak, with the koa advice', async (t) => {
  const result = await probe(t, 'session-koa-external-store.mjs');
  assert.equal(result.assessment?.outcome, 'leak', result.assessment?.reason);
  assert.match(summaryOf(result)[0]!, /new session cookie `koa\.sess` \(with `koa\.sess\.sig`\).*set no new one \(0 of \d+; \d+ re-sent the same value\)/);
  assert.match(summaryOf(result)[1]!, /^Map `sessions` in module session-koa-external-store\.mjs \+1 entry per cookie-less request/);
  const responsible = result.finding!.evidence['responsible'] as { kind: string; installSite: { line: number } };
  assert.equal(responsible.kind, 'middleware-install');
  assert.equal(responsible.installSite.line, 22); // app.use(session({ store }, app))
  assert.equal(result.finding!.creationSite?.line, 22, 'the creation site is the install line (#12)');
  assert.equal(result.finding!.evidence['framework'], 'koa-session');
  assert.match(result.finding!.advice, /ctx\.session/);
});

test('a hand-rolled sessions map: the creation site is the user line that makes the session', async (t) => {
  const result = await probe(t, 'session-hand-rolled.mjs');
  assert.equal(result.assessment?.outcome, 'leak', result.assessment?.reason);
  const finding = result.finding!;
  assert.equal(finding.creationSite?.functionName, 'attachSession');
  assert.match(finding.creationSite?.file ?? '', /session-hand-rolled\.mjs$/);
  assert.equal(finding.creationSite?.line, 21); // sessions[id] = { id, createdAtMs: ..., cart: [], flash: null }
  assert.deepEqual((finding.evidence['responsible'] as { kind: string }).kind, 'allocation-site');
  assert.equal(finding.evidence['framework'], 'hand-rolled');
});

test('express-session with saveUninitialized:false sets no cookie: the probe stops after the sniff', async (t) => {
  const result = await probe(t, 'session-express-uninitialized-false.mjs');
  assert.equal(result.ran, false);
  assert.equal(result.finding, null);
  assert.equal(result.requests, 3);
});

test('one shared session cookie handed out again and again is not a session leak', async (t) => {
  const result = await probe(t, 'session-single-cookie.mjs');
  assert.equal(result.finding, null);
  assert.equal(result.assessment?.outcome, 'no-session-leak');
  assert.equal(result.assessment?.reason, 'cookie-less responses set `sid` but not to a new value each time: no session per request.');
  assert.equal(result.probe?.stoppedAtBoundary, 1);
  assert.deepEqual(result.warnings, []);
});

test('a fresh CSRF token cookie on every response, stored nowhere, is not a session leak', async (t) => {
  const result = await probe(t, 'session-csrf-cookie.mjs');
  assert.equal(result.finding, null);
  assert.equal(result.assessment?.outcome, 'no-session-leak');
  // ruled out after the first cookie-less phase: two snapshots instead of four
  assert.match(result.assessment!.reason, /^cookie-less responses set a fresh `XSRF-TOKEN`, but no heap group grew with them/);
  assert.equal(result.probe?.stoppedAtBoundary, 1);
  assert.deepEqual(result.warnings, []);
});

test('sessions created behind a redirect and a 500 are still found, with a warning about the statuses', async (t) => {
  const result = await probe(t, 'session-redirect.mjs', ['/', '/broken']);
  assert.equal(result.assessment?.outcome, 'leak', result.assessment?.reason);
  assert.match(summaryOf(result)[0]!, /^every cookie-less response set a new session cookie `connect\.sid`/);
});

test('a server that rotates the session id on every request cannot be judged: undecided, and the warning says why', async (t) => {
  const result = await probe(t, 'session-rotating.mjs');
  assert.equal(result.finding, null);
  assert.equal(result.assessment?.outcome, 'undecided');
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0]!, /^session check undecided: the server set a fresh `sid` even when the first one was sent back/);
});

test('leakfinder check -- node session-express-default.mjs exits 1 with a session-per-request finding', () => {
  const dir = join(tmpdir(), `lf-session-cli-${process.pid}`);
  const jsonPath = `${dir}.json`;
  const run = spawnSync(
    process.execPath,
    [join(packageDir, 'bin/leakfinder.js'), 'check', '--warmup', '50', '--requests', '100', '--quiet', '--log-file', `${dir}.log`, '--json', jsonPath, '--', 'node', join(serversDir, 'session-express-default.mjs')],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /kind: {4}session-per-request/);
  assert.match(run.stdout, /proof: {3}every cookie-less response set a new session cookie `connect\.sid`/);
  return readFile(jsonPath, 'utf8').then(async (text) => {
    await rm(jsonPath, { force: true });
    await rm(`${dir}.log`, { force: true });
    const report = JSON.parse(text) as { verdict: string; findings: { kind: string; group: string }[] };
    assert.equal(report.verdict, 'leak');
    assert.equal(report.findings[0]?.kind, 'session-per-request');
    // the generic findings of the session groups are folded into the session finding
    assert.equal(report.findings.filter((f) => /MemoryStore `store`|Object `sessions`/.test(f.group) && f.kind === 'per-request-growth').length, 0);
  });
});
