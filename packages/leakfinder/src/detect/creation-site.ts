/**
 * Where the leaked objects were created, in the user's terms: from ranked allocation stacks (already mapped to
 * original source positions by the compose layer) pick the first frame of the user's own code, fold library
 * frames around it, and rank creation sites by the share of leaked objects each created. Pure.
 */

/** A stack frame in the report's terms: file is an absolute path, a `file://` URL or `node:…`; 1-based. */
export interface SourceFrame {
  readonly functionName: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** True for node_modules, Node's own `node:` modules and V8 builtins: folded in displays. */
  readonly library?: boolean;
}

/** A stack of source frames (top first) and how many of the leaked objects were allocated on it. */
export interface SourceStack {
  readonly frames: readonly SourceFrame[];
  readonly count: number;
}

/** The `creationSite`, `creationStack` and `creationSites` fields of a finding. */
export interface CreationSites {
  /**
   * The first user frame of the most common site; when its stack has no user frame, its first package
   * (node_modules) frame, else its top frame.
   */
  readonly creationSite: SourceFrame | null;
  /** The whole stack of the top site, top first, library frames marked (`library: true`). */
  readonly creationStack: readonly SourceFrame[];
  /** Sites ranked by the share of tracked leaked objects they created (shares sum to 1). */
  readonly creationSites: readonly { readonly site: SourceFrame; readonly share: number }[];
}

/** How many sites `creationSites` lists at most; the rest are rare and only add noise. */
const kMaxSites = 5;
/** How many frames of the top stack the report keeps; deeper frames are framework plumbing. */
const kMaxStackFrames = 12;

/**
 * True when a frame is not the user's code: a file under `node_modules`, a `node:` or `internal/` module of
 * Node, or a V8 builtin (no script at all, like `Array.prototype.push`).
 */
export function isLibraryFrame(frame: Pick<SourceFrame, 'file'>): boolean {
  const file = frame.file;
  if (file === '') return true;
  if (file.startsWith('node:') || file.startsWith('internal/')) return true;
  return /[/\\]node_modules[/\\]/.test(file);
}

/**
 * Picks the creation site of a group from its allocation stacks (ranked or not).
 * @example
 * pickCreationSites([{ frames: [push, handle], count: 9 }]).creationSite; // handle (user frame), not push
 */
export function pickCreationSites(stacks: readonly SourceStack[]): CreationSites {
  const bySite = new Map<string, { site: SourceFrame; count: number; best: SourceStack }>();
  let total = 0;
  for (const stack of stacks) {
    if (stack.frames.length === 0 || stack.count <= 0) continue;
    const marked = stack.frames.map((f) => (isLibraryFrame(f) ? { ...f, library: true } : withoutLibraryFlag(f)));
    // No user frame: a package's frame (busboy slicing a chunk) says more than the node: internal or V8
    // builtin that carried the allocation out.
    const site = marked.find((f) => f.library !== true) ?? marked.find((f) => /[/\\]node_modules[/\\]/.test(f.file)) ?? marked[0]!;
    const key = `${site.file}:${site.line}:${site.column}:${site.functionName}`;
    const entry = bySite.get(key);
    const markedStack = { frames: marked, count: stack.count };
    if (entry === undefined) bySite.set(key, { site, count: stack.count, best: markedStack });
    else {
      entry.count += stack.count;
      if (stack.count > entry.best.count) entry.best = markedStack;
    }
    total += stack.count;
  }
  if (total === 0) return { creationSite: null, creationStack: [], creationSites: [] };
  const ranked = [...bySite.values()].sort((a, b) => b.count - a.count);
  const top = ranked[0]!;
  return {
    creationSite: top.site,
    creationStack: top.best.frames.slice(0, kMaxStackFrames),
    creationSites: ranked.slice(0, kMaxSites).map((r) => ({ site: r.site, share: r.count / total })),
  };
}

/**
 * Display lines for a stack, top first, with each run of library frames folded into one line
 * (`… 3 library frames (express, node:events)`), so the user's frames stand out.
 */
export function foldLibraryFrames(frames: readonly SourceFrame[]): string[] {
  const lines: string[] = [];
  let run: SourceFrame[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    if (run.length === 1) lines.push(`  (${formatFrame(run[0]!)})`);
    else {
      const owners = [...new Set(run.map(libraryOwner))].join(', ');
      lines.push(`  … ${run.length} library frames (${owners})`);
    }
    run = [];
  };
  for (const frame of frames) {
    if (frame.library === true || isLibraryFrame(frame)) run.push(frame);
    else {
      flush();
      lines.push(formatFrame(frame));
    }
  }
  flush();
  return lines;
}

/** `handle (/app/src/routes.ts:42:7)`, the way Node prints stack frames. */
export function formatFrame(frame: SourceFrame): string {
  if (frame.file === '') return `${frame.functionName} (native)`;
  const position = frame.line > 0 ? `:${frame.line}:${frame.column}` : '';
  return `${frame.functionName} (${frame.file}${position})`;
}

/** The package (or `node:x` module) a library frame belongs to: `express`, `@fastify/x`, `node:events`. */
function libraryOwner(frame: SourceFrame): string {
  if (frame.file === '') return 'V8 builtins';
  // the last node_modules segment names the package (pnpm and nested installs have several)
  const segments = [...frame.file.matchAll(/[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/g)];
  const last = segments[segments.length - 1];
  if (last !== undefined) return last[1]!.replaceAll('\\', '/');
  return frame.file.startsWith('internal/') ? `node:${frame.file}` : frame.file;
}

function withoutLibraryFlag(frame: SourceFrame): SourceFrame {
  if (frame.library === undefined) return frame;
  const { library: _ignored, ...rest } = frame;
  return rest;
}
