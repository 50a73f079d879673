import { PassThrough } from 'node:stream';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(packageDir, 'bin/leakfinder.js');

/** Runs the `leakfinder` CLI in a child process and collects its output; killed after `timeoutMs`. */
export function runCli(
  args: readonly string[],
  options: { timeoutMs?: number; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/**
 * Runs the CLI in this process, through the same `main` as the binary (cheap, for refusals and offline
 * commands), with `cwd` as its working directory.
 */
export async function runCliInProcess(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
  stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  const code = await main(args, { stdout, stderr, stderrIsTty: false, signal: new AbortController().signal, cwd });
  return { code, stdout: out, stderr: err };
}
