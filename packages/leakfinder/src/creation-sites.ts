import { findAllocationLine, findCallLine } from './detect/allocation-line.js';
import { isLibraryFrame, pickCreationSites, type CreationSites, type SourceFrame, type SourceStack } from './detect/creation-site.js';
import type { AllocationStack, RawFrame } from './snapshot/allocation-traces.js';
import type { SourceMapResolver } from './source-maps.js';

/**
 * Turns the raw allocation stacks of one leaking group into the finding's `creationSite`, `creationStack`
 * and `creationSites`: each user frame is first narrowed from its function's start to the allocating line
 * (`new ClassName(`, or the call of the next frame), in the generated code V8 ran, then mapped through source
 * maps to the original file. Map problems end up in `resolver.warnings`, never in an exception.
 * @example
 * const sites = resolveCreationSites(explanation.creationStacks, 'Order', new SourceMapResolver({ scripts }));
 * sites.creationSite; // { functionName: 'handle', file: 'file:///app/src/orders.ts', line: 14, column: 29 }
 */
export function resolveCreationSites(
  stacks: readonly AllocationStack[],
  className: string,
  resolver: SourceMapResolver,
): CreationSites {
  const frameCache = new Map<string, SourceFrame>();
  const sourceStacks: SourceStack[] = stacks.map((stack) => ({
    count: stack.count,
    frames: stack.frames.map((frame, i) => {
      // The same function is refined differently on top (what it allocates) and below (whom it calls).
      const refineBy = i === 0 ? `new ${className}` : `call ${stack.frames[i - 1]!.functionName}`;
      const key = `${frame.scriptId}:${frame.line}:${frame.column}:${refineBy}`;
      let resolved = frameCache.get(key);
      if (resolved === undefined) {
        resolved = resolveFrame(frame, i === 0 ? { className } : { calleeName: stack.frames[i - 1]!.functionName }, resolver);
        frameCache.set(key, resolved);
      }
      return resolved;
    }),
  }));
  return pickCreationSites(sourceStacks);
}

function resolveFrame(
  frame: RawFrame,
  refine: { className: string } | { calleeName: string },
  resolver: SourceMapResolver,
): SourceFrame {
  let { line, column } = frame;
  const library = isLibraryFrame({ file: frame.scriptName });
  if (!library && line > 0) {
    const text = resolver.generatedText(frame.scriptId, frame.scriptName);
    if (text !== null) {
      const start = { line, column };
      const narrowed = 'className' in refine ? findAllocationLine(text, start, refine.className) : findCallLine(text, start, refine.calleeName);
      if (narrowed !== null) ({ line, column } = narrowed);
    }
  }
  const position = resolver.toOriginal(frame.scriptId, frame.scriptName, line, column);
  return { functionName: frame.functionName, file: position.file, line: position.line, column: position.column };
}
