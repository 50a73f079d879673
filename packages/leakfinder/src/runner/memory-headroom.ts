/**
 * How much memory a process may still take before something kills it: the tightest of its cgroup memory
 * limits (v1 or v2, every level up to the root, read from /proc/<pid>/cgroup) and the machine's available
 * memory. Linux only; elsewhere only the machine's free memory is known.
 */
import { readFileSync } from 'node:fs';
import { freemem } from 'node:os';

/** One bound on the process's memory: its remaining room and where it comes from. */
export interface MemoryBound {
  /** `cgroup v1 /leakfinder-test (limit 256 MiB)`, `available memory of the machine`. */
  readonly source: string;
  readonly limitBytes: number | null;
  readonly usedBytes: number | null;
  /** Bytes the process (with the rest of its group) may still allocate under this bound. */
  readonly roomBytes: number;
}

// cgroup v1 reports "no limit" as a huge page-aligned number (2^63 rounded down to a page).
const kUnlimited = 2 ** 62;

/** Every memory bound of `pid` that could be read; the caller takes the smallest room. */
export function readMemoryBounds(pid: number): MemoryBound[] {
  const bounds: MemoryBound[] = [{ source: 'available memory of the machine', limitBytes: null, usedBytes: null, roomBytes: availableBytes() }];
  if (process.platform !== 'linux') return bounds;
  let lines: string[];
  try {
    lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  } catch {
    return bounds;
  }
  for (const line of lines) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    if (controllers === '') bounds.push(...walk('/sys/fs/cgroup', path, 'memory.max', 'memory.current', 'cgroup v2'));
    else if (controllers!.split(',').includes('memory')) {
      bounds.push(...walk('/sys/fs/cgroup/memory', path, 'memory.limit_in_bytes', 'memory.usage_in_bytes', 'cgroup v1'));
    }
  }
  return bounds;
}

/** The limits of `path` and each of its parents (a parent's limit binds the child too). */
function walk(root: string, path: string, limitFile: string, usageFile: string, kind: string): MemoryBound[] {
  const out: MemoryBound[] = [];
  const parts = path.split('/').filter((p) => p !== '');
  for (let depth = parts.length; depth >= 0; depth--) {
    const dir = `${root}/${parts.slice(0, depth).join('/')}`.replace(/\/$/, '');
    const limit = readNumber(`${dir}/${limitFile}`);
    const used = readNumber(`${dir}/${usageFile}`);
    if (limit === null || used === null || limit >= kUnlimited) continue;
    out.push({ source: `${kind} ${'/' + parts.slice(0, depth).join('/')}`, limitBytes: limit, usedBytes: used, roomBytes: Math.max(0, limit - used) });
  }
  return out;
}

function readNumber(file: string): number | null {
  try {
    const text = readFileSync(file, 'utf8').trim();
    if (text === 'max') return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** MemAvailable (what can be allocated without swapping), falling back to os.freemem(). */
function availableBytes(): number {
  try {
    const kib = /^MemAvailable:\s*(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    if (kib !== undefined) return Number(kib) * 1024;
  } catch {
    // not Linux
  }
  return freemem();
}
