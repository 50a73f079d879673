import type { FindingHolder, SourceSite } from '../detect/finding.js';
import type { GroupSample } from '../detect/series.js';
import { explainGroups, summarizeSnapshotFile } from '../snapshot/index.js';

// The seam to the snapshot engine (docs/architecture.md): summarizeSnapshotFile and explainGroups, both run
// in a worker. This file adapts their results to what `check` needs.

/** One growing group explained in the last snapshot. */
export interface GroupExplanationView {
  readonly key: string;
  readonly retainerPath: readonly string[];
  readonly holder: FindingHolder | null;
  /** Allocation stacks (top frame first) with how many of the group's objects each created; [] without traces. */
  readonly creationStacks: readonly { readonly frames: readonly SourceSite[]; readonly count: number }[];
}

/** Group rows (key, class, signature, count, bytes) of one snapshot file, read in a worker. */
export async function summarizeSnapshot(path: string, options: { signal?: AbortSignal } = {}): Promise<GroupSample[]> {
  const summary = await summarizeSnapshotFile(path, { signal: options.signal });
  return summary.groups;
}

/** Retainer path, holder and creation stacks of `keys` in one snapshot file, read in a worker. */
export async function explainSnapshotGroups(
  path: string,
  keys: readonly string[],
  options: { showValues?: boolean; signal?: AbortSignal } = {},
): Promise<GroupExplanationView[]> {
  const explained = await explainGroups(path, keys, { showValues: options.showValues ?? false, signal: options.signal });
  return explained.map((e) => ({
    key: e.key,
    retainerPath: e.retainerPath,
    holder: e.holder,
    creationStacks: e.creationStacks.map((st) => ({
      count: st.count,
      frames: st.frames.map((f) => ({ functionName: f.functionName || '(anonymous)', file: f.scriptName, line: f.line, column: f.column })),
    })),
  }));
}
