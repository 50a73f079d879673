// `leakfinder check` on servers that fail: each fault gives one clear line on stderr and exit code 2.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/run-cli.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(packageDir, 'test/fixtures/servers');

/** The lines leakfinder itself wrote (not progress, not the server's). */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('leakfinder: ') && !/^leakfinder: (starting|server ready|warm-up|checkpoint|kept)/.test(l));
}

test('a command that does not exist: one line naming it, exit 2', async () => {
  const r = await runCli(['check', '--', 'no-such-command-lf']);
  assert.equal(r.code, 2);
  assert.deepEqual(errorLines(r.stderr), [
    'leakfinder: command `no-such-command-lf` not found: check the spelling and that it is on PATH (or give its path).',
  ]);
});

test('a server that exits during startup: its exit code and last stderr line, exit 2', async () => {
  const r = await runCli(['check', '--', 'node', join(fixtures, 'exits-at-startup.mjs')]);
  assert.equal(r.code, 2);
  const lines = errorLines(r.stderr);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /exited with code 3 before it listened on port \d+; its last stderr lines: fixture: missing DATABASE_URL, giving up$/);
});

test('a server that never listens: the timeout names the port, exit 2', async () => {
  const r = await runCli(['check', '--startup-timeout', '2', '--', 'node', join(fixtures, 'never-listens.mjs')]);
  assert.equal(r.code, 2);
  const lines = errorLines(r.stderr);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /did not accept connections on 127\.0\.0\.1:\d+ within 2 s/);
});

test('a fixed port already in use: one line naming the port, exit 2', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  try {
    const r = await runCli(['check', '--port', String(port), '--', 'node', join(fixtures, 'healthy-express.mjs')]);
    assert.equal(r.code, 2);
    assert.deepEqual(errorLines(r.stderr), [`leakfinder: port ${port} is already in use by another process; stop it, or pass another \`--port\`.`]);
  } finally {
    blocker.close();
  }
});

test('`--requests 0` and an unknown flag are usage errors, exit 2', async () => {
  const zero = await runCli(['check', '--requests', '0', '--', 'node', 'server.js']);
  assert.equal(zero.code, 2);
  assert.deepEqual(errorLines(zero.stderr), ['leakfinder: `--requests` must be an integer from 1 to 9007199254740991, got "0".']);
  const unknown = await runCli(['check', '--frobnicate', '--', 'node', 'server.js']);
  assert.equal(unknown.code, 2);
  assert.equal(errorLines(unknown.stderr).length, 1);
  assert.match(unknown.stderr, /Unknown option '--frobnicate'/);
});

test('no server command: one line saying where to put it, exit 2', async () => {
  const r = await runCli(['check']);
  assert.equal(r.code, 2);
  assert.match(errorLines(r.stderr)[0]!, /no server command given: put it after `--`/);
});

test('a server that crashes mid-run: inconclusive, exit 2, measurements and snapshots kept', async () => {
  const keep = mkdtempSync(join(tmpdir(), 'lf-crash-'));
  try {
    const r = await runCli(
      ['check', '--warmup', '100', '--requests', '800', '--json', join(keep, 'report.json'), '--', 'node', join(fixtures, 'crash-after-requests.mjs')],
      { timeoutMs: 30_000 },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /INCONCLUSIVE/);
    assert.match(r.stdout, /the server exited with code \d+ during the run/);
    const report = JSON.parse((await import('node:fs')).readFileSync(join(keep, 'report.json'), 'utf8')) as {
      verdict: string;
      interruption: { code: string; phase: string };
      checkpoints: unknown[];
      snapshots: { directory: string; kept: boolean; files: string[] };
    };
    assert.equal(report.verdict, 'inconclusive');
    assert.equal(report.interruption.code, 'LF_TARGET_EXITED');
    assert.ok(report.checkpoints.length >= 1);
    assert.equal(report.snapshots.kept, true);
    assert.ok(report.snapshots.files.length >= 1);
    for (const file of report.snapshots.files) {
      assert.ok(existsSync(file));
      assert.equal(statSync(file).mode & 0o777, 0o600);
    }
    assert.equal(statSync(report.snapshots.directory).mode & 0o777, 0o700);
    assert.equal(readdirSync(report.snapshots.directory).filter((f) => f.endsWith('.partial')).length, 0);
    rmSync(report.snapshots.directory, { recursive: true, force: true });
  } finally {
    rmSync(keep, { recursive: true, force: true });
  }
});

test('leakfinder.config.json in the working directory: an unknown option is one line naming the file, exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-config-'));
  try {
    (await import('node:fs')).writeFileSync(join(dir, 'leakfinder.config.json'), JSON.stringify({ ignore: ['Visit'], requets: 5 }));
    const r = await runCli(['check', '--', 'node', 'server.js'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.deepEqual(errorLines(r.stderr), [
      `leakfinder: ${join(dir, 'leakfinder.config.json')}: unknown option \`requets\` (use the flag names, e.g. "ignore", "requests", "path").`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
