import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LeakfinderError } from '../errors.js';

/**
 * A fresh private (0700) directory for a run's snapshots, under `parent` or the OS temp dir, named
 * `<prefix>XXXXXX` (check and watch use it; heap snapshots hold secrets).
 */
export async function makePrivateDirectory(parent: string | undefined, prefix: string): Promise<string> {
  const base = parent === undefined ? tmpdir() : resolve(parent);
  try {
    if (parent !== undefined) await mkdir(base, { recursive: true, mode: 0o700 });
    // mkdtemp creates the directory with mode 0700.
    return await mkdtemp(join(base, prefix));
  } catch (error) {
    throw new LeakfinderError('LF_WRITE_FAILED', `could not create a snapshot directory under ${base}: ${(error as Error).message}`, { cause: error });
  }
}
