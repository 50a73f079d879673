import { findAllocation, findCall } from '../detect/allocation-line.js';
import { isLibraryFrame, pickCreationSites, type CreationSites, type SourceFrame } from '../detect/creation-site.js';
import type { AllocationStack, RawFrame } from '../snapshot/allocation-traces.js';
import type { SourceMapResolver } from './source-maps.js';

/** Where allocation stacks came from: V8's allocation tracker (one stack per object) or the sampling profiler. */
export type StackSource = 'tracking' | 'sampling';

/** Creation sites plus what the caller should add to the report's warnings. */
export interface ResolvedCreationSites extends CreationSites {
  readonly warnings: readonly string[];
  /** The site's line is the first of several calls in its function (the function is certain, the line not). */
  readonly lineIsGuess: boolean;
}

/**
 * Turns the raw allocation stacks of one leaking group into the finding's `creationSite`, `creationStack`
 * and `creationSites`: each user frame is first narrowed from its function's start to the allocating line
 * (`new ClassName(`, a literal, or the call of the next frame), in the generated code V8 ran, then mapped
 * through source maps to the original file. Map problems end up in `resolver.warnings`, never in an exception.
 *
 * A stack whose top frame is the user's code but whose function creates no `className` cannot be the
 * creation stack of these objects. With `tracking` such stacks are dropped when others remain: V8 updates an
 * object's trace only on moves of objects without a heap-profiler id, and the inspector assigns ids every
 * 50 ms, so objects moved by the GC keep a stale trace (or take a dead object's). With `sampling` the stacks
 * are of every class, and only those whose top user function creates `className` are kept.
 * @example
 * const sites = resolveCreationSites(explanation.creationStacks, 'Order', new SourceMapResolver({ scripts }), 'tracking');
 * sites.creationSite; // { functionName: 'handle', file: 'file:///app/src/orders.ts', line: 14, column: 29 }
 */
export function resolveCreationSites(
  stacks: readonly AllocationStack[],
  className: string,
  resolver: SourceMapResolver,
  source: StackSource = 'tracking',
): ResolvedCreationSites {
  const frameCache = new Map<string, ResolvedFrame>();
  const resolved = stacks.map((stack) => {
    const frames = stack.frames.map((frame, i) => {
      // The same function is refined differently on top (what it allocates) and below (whom it calls).
      const refineBy = i === 0 ? `new ${className}` : `call ${stack.frames[i - 1]!.functionName}`;
      const key = `${frame.scriptId}:${frame.scriptName}:${frame.line}:${frame.column}:${refineBy}`;
      let hit = frameCache.get(key);
      if (hit === undefined) {
        hit = resolveFrame(frame, i === 0 ? { className } : { calleeName: stack.frames[i - 1]!.functionName }, resolver);
        frameCache.set(key, hit);
      }
      return hit;
    });
    return { count: stack.count, frames, top: frames[0]?.verdict ?? 'library' };
  });
  const warnings: string[] = [];
  const total = resolved.reduce((sum, s) => sum + s.count, 0);
  const plausible = resolved.filter((s) => s.top !== 'other-class');
  const verified = resolved.filter((s) => s.top === 'creates-class');
  let kept: typeof resolved;
  if (source === 'sampling') {
    kept = verified;
    if (verified.length === 0 && total > 0) {
      warnings.push(`no growing allocation site in the sampling profile creates \`${className}\` in the user's code; no creation site.`);
    }
  } else {
    kept = verified.length > 0 ? plausible : resolved;
    const dropped = total - kept.reduce((sum, s) => sum + s.count, 0);
    // One or two are normal (the class's prototype is made where the class is defined); more means stale traces.
    if (dropped > Math.max(2, total * 0.05)) {
      warnings.push(
        `${dropped} of ${total} traced \`${className}\` objects have allocation stacks whose function creates no ` +
          `\`${className}\` (stale V8 traces of objects the GC moved); they were left out of the creation sites.`,
      );
    }
  }
  const sites = pickCreationSites(kept.map((s) => ({ count: s.count, frames: s.frames.map((f) => f.frame) })));
  const site = sites.creationSite;
  const lineIsGuess = site !== null && kept.some((s) => s.frames.some((f) => f.firstOfSeveral && f.frame.file === site.file && f.frame.line === site.line && f.frame.column === site.column));
  return { ...sites, warnings, lineIsGuess };
}

/** How a stack's top frame relates to the class: creates it, is user code that does not, or is a library. */
type Verdict = 'creates-class' | 'other-class' | 'library' | 'caller';

interface ResolvedFrame {
  readonly frame: SourceFrame;
  readonly verdict: Verdict;
  /** The line is the first of several calls of the next frame's function: a guess among them. */
  readonly firstOfSeveral: boolean;
}

function resolveFrame(
  frame: RawFrame,
  refine: { className: string } | { calleeName: string },
  resolver: SourceMapResolver,
): ResolvedFrame {
  let { line, column } = frame;
  const library = isLibraryFrame({ file: frame.scriptName });
  let verdict: Verdict = library ? 'library' : 'className' in refine ? 'other-class' : 'caller';
  let firstOfSeveral = false;
  // Library frames are narrowed too: when no user frame is on the stack (fastify's own Request, busboy's
  // chunks), the library's allocating line or call is the site (#12).
  if (line > 0) {
    const text = resolver.generatedText(frame.scriptId, frame.scriptName);
    if (text === null) {
      if ('className' in refine) verdict = 'library'; // no source to check against: cannot tell
    } else {
      const start = { line, column };
      if ('className' in refine) {
        const found = findAllocation(text, start, refine.className, { preferStored: !library });
        // several places create the class: it is this function, but the line stays the function's start
        if (found.candidateCount > 0 && !library) verdict = 'creates-class';
        if (found.position !== null) ({ line, column } = found.position);
      } else {
        const narrowed = findCall(text, start, refine.calleeName);
        if (narrowed.position !== null) ({ line, column } = narrowed.position);
        if (narrowed.callCount > 1) firstOfSeveral = true;
      }
    }
  }
  const position = resolver.toOriginal(frame.scriptId, frame.scriptName, line, column);
  return { verdict, firstOfSeveral, frame: { functionName: frame.functionName, file: position.file, line: position.line, column: position.column } };
}
