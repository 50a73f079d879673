import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LeakfinderError } from '../errors.js';

/**
 * What an output flag writes. `json`/`html` are reports (replaced whole, through {@link writeFileAtomically}),
 * `log` is a server log (appended), `directory` is a folder under which leakfinder creates a new folder
 * (`--keep-snapshots`).
 */
export type OutputKind = 'json' | 'html' | 'log' | 'directory';

/** One output flag as the user typed it: `{ flag: '--json', path: 'report.json', kind: 'json' }`. */
export interface OutputPath {
  /** The flag as shown to the user, e.g. `--json` or `--html`; used in the refusal message. */
  readonly flag: string;
  /** The value given; relative paths are resolved against `cwd`. */
  readonly path: string;
  readonly kind: OutputKind;
}

/**
 * The first line a `--log-file` starts with (written by `check`), so an existing log can be recognised as ours
 * and appended to, while any other existing file is refused.
 */
export const logFileMarker = '# leakfinder server log';

/** The `<meta>` tag every leakfinder HTML report must carry in its `<head>`: how an existing report is recognised. */
export function htmlGeneratorMeta(version: string): string {
  return `<meta name="generator" content="leakfinder ${version}">`;
}

/** How far into an existing file we look for the leakfinder signature (the signature is in the first lines). */
const signatureWindowBytes = 4096;

const signatures: Record<Exclude<OutputKind, 'directory'>, RegExp> = {
  // `renderCheckJson`/`renderAnalysisJson`: `"tool": { "name": "leakfinder"`, indented or not.
  json: /"tool"\s*:\s*\{\s*"name"\s*:\s*"leakfinder"/,
  html: /<meta\s+name="generator"\s+content="leakfinder[\s"]/i,
  log: new RegExp(`^${logFileMarker}`),
};

const describe: Record<Exclude<OutputKind, 'directory'>, string> = {
  json: 'a leakfinder JSON report',
  html: 'a leakfinder HTML report',
  log: 'a leakfinder server log',
};

/**
 * Refuses, before any work starts, every output path that could destroy a user's file. Call it in every CLI
 * command right after parsing flags and before starting a server, reading a snapshot or creating a file:
 *
 * ```ts
 * assertOutputPaths(
 *   [{ flag: '--json', path: values.json, kind: 'json' }, { flag: '--html', path: values.html, kind: 'html' }],
 *   snapshotFiles,   // every file the command reads
 *   io.cwd,
 * );
 * ```
 * Entries whose `path` is `undefined` are skipped, so optional flags can be passed as they are.
 *
 * Refused (`LF_OUTPUT_REFUSED`, a usage error: one line naming the flag and the path, exit 2), for files:
 * - a path ending in `.heapsnapshot` (what `analyze --json a.heapsnapshot b.heapsnapshot` produces when the
 *   flag takes the first snapshot as its value);
 * - a path that is also an input (same file after symlinks, or the same inode through a hard link);
 * - two output flags naming the same file;
 * - an existing file that is not a leakfinder output of that kind (JSON: `"tool": {"name": "leakfinder"`;
 *   HTML: {@link htmlGeneratorMeta}; log: {@link logFileMarker}); an existing empty file is accepted;
 * - an existing path that is not a regular file (a folder, `/dev/null`, a FIFO): a rename would replace it;
 * - a parent folder that is missing or not writable.
 *
 * For `directory`: refused if it exists and is not a folder, or it (or the nearest existing parent) is not
 * writable.
 *
 * Synchronous on purpose: it runs once, before work, on a handful of paths.
 */
export function assertOutputPaths(
  outputs: readonly { readonly flag: string; readonly path: string | undefined; readonly kind: OutputKind }[],
  inputs: readonly string[],
  cwd: string = process.cwd(),
): void {
  const inputIds = inputs.map((input) => fileIdentity(resolve(cwd, input)));
  const seen: { flag: string; id: FileIdentity }[] = [];
  for (const output of outputs) {
    if (output.path === undefined) continue;
    const { flag, kind } = output;
    const target = resolve(cwd, output.path);
    const shown = `\`${flag} ${output.path}\``;
    if (output.path === '') throw refuse(`${flag} needs a file name, got an empty string.`);
    if (kind === 'directory') {
      assertDirectory(flag, shown, target);
      continue;
    }
    const id = fileIdentity(target);
    const input = inputs.find((_, i) => sameFile(id, inputIds[i]!));
    if (input !== undefined) {
      throw refuse(`${shown} names an input of this run (${resolve(cwd, input)}); leakfinder never writes over its inputs: give ${flag} a new file name.`);
    }
    if (/\.heapsnapshot$/i.test(target)) {
      throw refuse(
        `${shown} would write a ${kind} report over a .heapsnapshot file; nothing was read or written. ` +
          `If ${flag} took a snapshot you meant to read as its value, put a report name after ${flag} (e.g. ${flag} report.${kind === 'html' ? 'html' : 'json'}).`,
      );
    }
    const twin = seen.find((s) => sameFile(id, s.id));
    if (twin !== undefined) throw refuse(`${shown} names the same file as ${twin.flag}; give each output its own file.`);
    seen.push({ flag, id });
    if (id.stats !== undefined) {
      if (!id.stats.isFile()) {
        throw refuse(`${shown} is ${id.stats.isDirectory() ? 'a folder' : 'not a regular file'}; give ${flag} a file name (e.g. ${flag} report.${kind === 'log' ? 'log' : kind}).`);
      }
      if (id.stats.size > 0 && !hasSignature(id.real, kind)) {
        throw refuse(`${shown} exists and is not ${describe[kind]}; leakfinder only replaces its own reports: move it away or choose a new file name.`);
      }
    }
    assertWritableFolder(flag, shown, dirname(id.real));
  }
}

/**
 * Writes `text` to `path` so that a reader never sees half a file: into a temp name in the same folder,
 * flushed, then renamed over `path` (atomic on one filesystem). On failure (full disk, no permission) the temp
 * file is removed and `LF_WRITE_FAILED` is thrown; `path` is left as it was. A symlink at `path` is followed,
 * so the link's target is replaced, not the link. Mode 0600 by default: reports can hold paths and names
 * from the heap; pass `{ mode: 0o644 }` only for files that hold no heap data.
 */
export async function writeFileAtomically(path: string, text: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  let target = resolve(path);
  try {
    target = await realpath(target);
  } catch {
    // Not there yet: written under its own name.
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new LeakfinderError('LF_WRITE_FAILED', `could not write ${target}: ${(error as Error).message}`, { cause: error });
  }
}

interface FileIdentity {
  /** The path with symlinks resolved when it exists, else as given (resolved). */
  readonly real: string;
  readonly stats: Stats | undefined;
}

function fileIdentity(path: string): FileIdentity {
  try {
    const real = realpathSync(path);
    return { real, stats: statSync(real) };
  } catch {
    return { real: path, stats: undefined };
  }
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  if (a.real === b.real) return true;
  // Hard links: two names, one inode.
  return a.stats !== undefined && b.stats !== undefined && a.stats.dev === b.stats.dev && a.stats.ino === b.stats.ino;
}

function hasSignature(path: string, kind: Exclude<OutputKind, 'directory'>): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(signatureWindowBytes);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return signatures[kind].test(buffer.subarray(0, length).toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function assertDirectory(flag: string, shown: string, target: string): void {
  const id = fileIdentity(target);
  if (id.stats !== undefined && !id.stats.isDirectory()) {
    throw refuse(`${shown} is an existing file, not a folder; ${flag} names a folder under which leakfinder makes a new one.`);
  }
  // A missing folder is created with its parents: the nearest existing one must be writable.
  let existing = id.real;
  while (!exists(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!writable(existing)) throw refuse(`${shown}: the folder ${existing} is not writable; choose another folder for ${flag}.`);
}

function assertWritableFolder(flag: string, shown: string, folder: string): void {
  if (!exists(folder)) throw refuse(`${shown}: the folder ${folder} does not exist; create it or give ${flag} another path.`);
  if (!writable(folder)) throw refuse(`${shown}: the folder ${folder} is not writable; give ${flag} a path in a writable folder.`);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function refuse(message: string): LeakfinderError {
  return new LeakfinderError('LF_OUTPUT_REFUSED', message, { usage: true });
}
