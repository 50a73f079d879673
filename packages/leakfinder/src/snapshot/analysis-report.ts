/**
 * The report `analyze` and `diff` produce (the `--json` shape of the outside contract, schemaVersion 1).
 * Types only: compose (analyze.ts) fills it, report/ renders it.
 */
import type { FileFacts } from './summary.js';

/** One class of the last (or only) file. Deltas: last file minus first (analyze), after minus before (diff). */
export interface ClassEntry {
  readonly className: string;
  /** Class key: name plus code location where V8 records one; stable within one process. */
  readonly key: string;
  readonly count: number;
  readonly selfBytes: number;
  readonly retainedBytes: number;
  readonly countDelta?: number;
  readonly retainedBytesDelta?: number;
  /** diff, same process only: objects present after but not before, and the reverse (matched by V8 id). */
  readonly addedCount?: number;
  readonly removedCount?: number;
  readonly selfBytesDelta?: number;
  readonly retainerPath: string[];
}

/** A class that grew at every step of an ordered series (multi-file analyze). */
export interface GrowthEntry {
  readonly className: string;
  readonly key: string;
  readonly counts: number[];
  readonly retainedBytes: number[];
  readonly retainerPath: string[];
  readonly creationSite: { functionName: string; file: string; line: number; column: number } | null;
}

/** diff: objects new in the after file (by V8 object id), grouped by class and retainer signature. */
export interface NewObjectGroup {
  readonly className: string;
  /** "Foo via Map `cache` in …" */
  readonly group: string;
  readonly count: number;
  readonly selfBytes: number;
  readonly retainerPath: string[];
}

/** The whole report. */
export interface AnalysisReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly command: 'analyze' | 'diff';
  readonly files: FileFacts[];
  readonly classes: ClassEntry[];
  readonly growth: GrowthEntry[];
  /** diff only (an addition to the contract's shape). */
  readonly newObjects?: NewObjectGroup[];
  /** diff: whether objects were matched by V8 id (same process) or only counted. */
  readonly matchedByObjectId?: boolean;
  readonly warnings: string[];
}
