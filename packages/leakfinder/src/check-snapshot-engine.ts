import type { FindingHolder, SourceSite } from './detect/finding.js';
import type { GroupSample } from './detect/series.js';

// The seam to the snapshot engine (docs/architecture.md): summarizeSnapshotFile and explainGroups, both run
// in a worker. This file adapts their results to what `check` needs, so check.ts does not depend on the
// engine's exact row types.

/** One growing group explained in the last snapshot. */
export interface GroupExplanationView {
  readonly key: string;
  readonly retainerPath: readonly string[];
  readonly holder: FindingHolder | null;
  /** Allocation stacks (top frame first) with how many of the group's objects each created; [] without traces. */
  readonly creationStacks: readonly { readonly frames: readonly SourceSite[]; readonly count: number }[];
}

interface EngineModule {
  summarizeSnapshotFile(path: string, options?: { signal?: AbortSignal }): Promise<{ groups: readonly GroupSample[] }>;
  explainGroups(
    path: string,
    keys: readonly string[],
    options?: { showValues?: boolean; signal?: AbortSignal },
  ): Promise<readonly {
    key: string;
    retainerPath: readonly string[];
    holder: { description: string; file?: string | null; line?: number | null } | null;
    creationStacks: readonly { frames: readonly { functionName?: string; file?: string; url?: string; line?: number; column?: number }[]; count: number }[];
  }[]>;
}

// TODO(#3): a static import once src/snapshot/index.ts exports the two functions.
const enginePath = './snapshot/index.js';
async function engine(): Promise<EngineModule> {
  return (await import(enginePath)) as EngineModule;
}

/** Group rows (key, class, signature, count, bytes) of one snapshot file. */
export async function summarizeSnapshot(path: string, options: { signal?: AbortSignal } = {}): Promise<GroupSample[]> {
  const summary = await (await engine()).summarizeSnapshotFile(path, options);
  return summary.groups.map((g) => ({
    key: g.key,
    className: g.className,
    signature: g.signature,
    count: g.count,
    selfBytes: g.selfBytes,
    retainedBytes: g.retainedBytes,
  }));
}

/** Retainer path, holder and creation stacks of `keys` in one snapshot file. */
export async function explainSnapshotGroups(
  path: string,
  keys: readonly string[],
  options: { showValues?: boolean; signal?: AbortSignal } = {},
): Promise<GroupExplanationView[]> {
  const explained = await (await engine()).explainGroups(path, keys, options);
  return explained.map((e) => ({
    key: e.key,
    retainerPath: e.retainerPath,
    holder: e.holder ? { description: e.holder.description, file: e.holder.file ?? null, line: e.holder.line ?? null } : null,
    creationStacks: e.creationStacks.map((st) => ({
      count: st.count,
      frames: st.frames.map((f) => ({
        functionName: f.functionName ?? '(anonymous)',
        file: f.file ?? f.url ?? '',
        line: f.line ?? 0,
        column: f.column ?? 0,
      })),
    })),
  }));
}
