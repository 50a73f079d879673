/**
 * What can be learned about a running process before touching it: does it exist, may we signal it, is it
 * Node (so that SIGUSR1 opens its inspector instead of killing it), which TCP ports it listens on. Linux
 * reads /proc; macOS asks `ps`; elsewhere only existence is known.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { LeakfinderError } from '../errors.js';

/** What {@link inspectTargetProcess} found. */
export interface TargetProcess {
  readonly pid: number;
  /** Program name as the OS reports it (`node`, `python3`). */
  readonly name: string;
  /** The command line, when readable. */
  readonly commandLine: readonly string[];
  /**
   * Whether the process handles SIGUSR1 (Linux: the `SigCgt` mask). Node installs a handler that opens the
   * inspector; a process without one would be killed by the signal. Null when the OS does not say.
   */
  readonly catchesSigusr1: boolean | null;
}

/** SIGUSR1 is signal 10 on Linux; bit 9 of /proc/<pid>/status `SigCgt`. */
const kSigusr1Bit = 1n << 9n;

/**
 * Checks that `pid` exists and belongs to a user we may signal, and reads its name. Throws `LF_ATTACH_FAILED`
 * with one line naming the pid and what to do.
 */
export function inspectTargetProcess(pid: number): TargetProcess {
  try {
    process.kill(pid, 0); // signal 0: the permission and existence check, nothing is sent
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') throw new LeakfinderError('LF_ATTACH_FAILED', `no process with pid ${pid}: check the pid (\`pgrep -af node\` lists Node processes).`, { usage: true });
    if (code === 'EPERM') {
      throw new LeakfinderError(
        'LF_ATTACH_FAILED',
        `pid ${pid} belongs to another user${ownerSuffix(pid)}: run leakfinder as that user (or root) to attach to it.`,
        { usage: true },
      );
    }
    throw new LeakfinderError('LF_ATTACH_FAILED', `cannot signal pid ${pid}: ${(error as Error).message}`, { cause: error });
  }
  if (process.platform === 'linux') return fromProc(pid);
  if (process.platform === 'darwin') return fromPs(pid);
  return { pid, name: 'unknown', commandLine: [], catchesSigusr1: null };
}

function fromProc(pid: number): TargetProcess {
  let status = '';
  let commandLine: string[] = [];
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    // it exited between the checks: the caller's next step reports that
  }
  const name = /^Name:\s*(.*)$/m.exec(status)?.[1] ?? 'unknown';
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  let exe = '';
  try {
    exe = basename(readlinkSync(`/proc/${pid}/exe`));
  } catch {
    // another user's process in a container: the name from status stands
  }
  return { pid, name: exe || name, commandLine, catchesSigusr1: mask === undefined ? null : (BigInt(`0x${mask}`) & kSigusr1Bit) !== 0n };
}

function fromPs(pid: number): TargetProcess {
  try {
    const command = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const args = command.split(/\s+/);
    return { pid, name: basename(args[0] ?? 'unknown'), commandLine: args, catchesSigusr1: null };
  } catch {
    return { pid, name: 'unknown', commandLine: [], catchesSigusr1: null };
  }
}

function ownerSuffix(pid: number): string {
  try {
    const uid = /^Uid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return uid === undefined ? '' : ` (uid ${uid}; you are uid ${process.getuid?.() ?? '?'})`;
  } catch {
    return '';
  }
}

/** True when the process looks like Node: its program is `node*` or it handles SIGUSR1 with a Node-ish name. */
export function looksLikeNode(target: TargetProcess): boolean {
  if (/^(node|nodejs)(\d+(\.\d+)*)?(\.exe)?$/i.test(target.name)) return true;
  // Renamed or embedded Node binaries (e.g. a packaged app) still name node in argv[0] or handle SIGUSR1.
  return /(^|\/)node[^/]*$/.test(target.commandLine[0] ?? '') && target.catchesSigusr1 !== false;
}

/**
 * TCP ports the process listens on (Linux: its socket inodes matched against /proc/<pid>/net/tcp{,6});
 * null where this cannot be read (another OS, no permission).
 */
export function listeningPorts(pid: number): Set<number> | null {
  if (process.platform !== 'linux') return null;
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode !== undefined) inodes.add(inode);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return null;
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; field 9 is the inode
      if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9]!)) continue;
      ports.add(Number.parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}
