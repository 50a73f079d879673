/**
 * A sampling heap profile reduced to live bytes per allocation stack, keyed by the stack's text (node ids are
 * not promised to be stable between two `getSamplingProfile` calls), with the stack kept for source mapping.
 */
import type { SamplingProfile, SamplingProfileNode } from '../detect/sampling-growth.js';
import type { AllocationStack, RawFrame } from '../snapshot/allocation-traces.js';

/**
 * Frames kept per stack key. One: the allocating function and position. Longer keys split one site over the
 * many paths a framework takes to it (express's `next()` chains differ per route) and thin out its samples.
 */
const kKeyFrames = 1;

/** Live bytes by stack key, and the stack (top first, 1-based) of each key. */
export interface SiteBytes {
  readonly bytesBySite: Map<string, number>;
  readonly stacks: Map<string, AllocationStack>;
}

/**
 * Walks the profile tree once. `selfSize` of a node is V8's scaled estimate of the live bytes allocated there;
 * V8's `(root)` head and frames without a script (`(V8 API)`, `(GC)`) are dropped from the key.
 */
export function siteBytesOf(profile: SamplingProfile & { head: SamplingProfileNode & { selfSize?: number } }): SiteBytes {
  const bytesBySite = new Map<string, number>();
  const stacks = new Map<string, AllocationStack>();
  const work: { node: SamplingProfileNode & { selfSize?: number }; frames: RawFrame[] }[] = [{ node: profile.head, frames: [] }];
  while (work.length > 0) {
    const { node, frames } = work.pop()!;
    const call = node.callFrame;
    const isRoot = node === profile.head;
    const here: RawFrame[] =
      isRoot || call.url === ''
        ? frames
        : [{ functionName: call.functionName || '(anonymous)', scriptName: call.url, scriptId: Number(call.scriptId) || 0, line: call.lineNumber + 1, column: call.columnNumber + 1 }, ...frames];
    const self = node.selfSize ?? 0;
    if (self > 0 && here.length > 0) {
      const key = here.slice(0, kKeyFrames).map((f) => `${f.functionName} ${f.scriptName}:${f.line}:${f.column}`).join(' < ');
      bytesBySite.set(key, (bytesBySite.get(key) ?? 0) + self);
      if (!stacks.has(key)) stacks.set(key, { frames: here, count: 0 });
    }
    for (const child of node.children) work.push({ node: child as SamplingProfileNode & { selfSize?: number }, frames: here });
  }
  return { bytesBySite, stacks };
}
