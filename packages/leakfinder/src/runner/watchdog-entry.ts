// The watchdog process (started by watchdog.ts; a separate Node process, not a module to import).
// It holds the read end of a pipe whose write end only leakfinder has. When the pipe closes without the
// word `release`, leakfinder is gone (any signal, SIGKILL included, or the OOM killer), so this process ends
// the server's process group: SIGTERM, then SIGKILL after a grace period. Nothing in leakfinder can run after
// a SIGKILL, which is why this lives in another process; it is in its own session so that a signal sent to
// leakfinder's process group (a CI timeout killing the job's group) does not take it down too.
// Given the run's private snapshot folder, it also removes the half-written (`.partial`) files there, and the
// folder when nothing else is in it: complete snapshots are measurements and stay.
import { readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const processGroup = Number(process.argv[2]);
const graceMs = Number(process.argv[3] ?? 1500);
const scratchDirectory = process.argv[4];
let text = '';

function groupExists(): boolean {
  try {
    process.kill(-processGroup, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(signal: NodeJS.Signals): void {
  try {
    process.kill(-processGroup, signal);
  } catch {
    // gone already
  }
}

// It never calls process.exit (library code does not, test/architecture.test.ts): once nothing is pending
// (stdin closed, the timer cleared), the process ends by itself.
function removeHalfWrittenFiles(): void {
  if (scratchDirectory === undefined || scratchDirectory === '') return;
  try {
    for (const name of readdirSync(scratchDirectory)) if (name.startsWith('.') && name.endsWith('.partial')) unlinkSync(join(scratchDirectory, name));
    rmdirSync(scratchDirectory); // only when empty
  } catch {
    // gone, or holds complete snapshots: left as it is
  }
}

function onPipeClosed(): void {
  process.stdin.destroy();
  if (text.includes('release')) return;
  removeHalfWrittenFiles();
  if (!Number.isInteger(processGroup) || processGroup <= 1 || !groupExists()) return;
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  // A group whose members have all exited can still "exist" while a zombie waits for its parent to reap it
  // (PID 1 in some containers never does): the deadline ends the wait, and a SIGKILL to zombies is harmless.
  const timer = setInterval(() => {
    if (!groupExists()) {
      clearInterval(timer);
    } else if (Date.now() >= deadline) {
      signalGroup('SIGKILL');
      clearInterval(timer);
    }
  }, 50);
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => (text += chunk));
process.stdin.once('end', onPipeClosed);
process.stdin.once('error', onPipeClosed);
