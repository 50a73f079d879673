// Runs one creation-site fixture for real: build it (tsc, inline maps, esbuild) if it is TypeScript, launch it
// under the inspector, warm up, track allocations over the measured requests, snapshot, and resolve where the
// leaked objects were created. Used by the e2e test (one fixture) and the quality bar (all of them).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveCreationSites } from '../../src/sources/creation-sites.js';
import type { CreationSites } from '../../src/detect/creation-site.js';
import { growingSampledStacks } from '../../src/detect/sampling-growth.js';
import {
  readSamplingProfile, startSamplingHeapProfiler, stopSamplingHeapProfiler,
} from '../../src/inspector/allocation-tracking.js';
import { collectGarbage, takeHeapSnapshot } from '../../src/inspector/heap.js';
import { readScriptSources } from '../../src/inspector/script-sources.js';
import { launchServer } from '../../src/runner/launch.js';
import { LoadDriver } from '../../src/runner/load.js';
import { explainGroups, summarizeSnapshotFile } from '../../src/snapshot/index.js';
import type { AllocationStack } from '../../src/snapshot/allocation-traces.js';
import { SourceMapResolver } from '../../src/sources/source-maps.js';

/** The creation-site fixtures, beside this package's sources (not compiled). */
export const creationFixturesDir = fileURLToPath(new URL('../../../test/fixtures/creation/', import.meta.url));
const packageDir = fileURLToPath(new URL('../../../', import.meta.url));

/** What a fixture says about itself in its header comments, and the line marked `// @creation`. */
export interface FixtureSpec {
  readonly file: string;
  readonly leakClass: string;
  readonly run: 'node' | 'tsx' | 'tsc' | 'tsc-inline' | 'esbuild';
  readonly path: string;
  readonly method: string;
  readonly creationLine: number;
}

/** Reads a fixture's `// @leak-class`, `// @run`, `// @path`, `// @method` headers and its `// @creation` line. */
export async function readFixtureSpec(file: string): Promise<FixtureSpec> {
  const text = await readFile(file, 'utf8');
  const header = (name: string): string | undefined => new RegExp(`^// @${name} (.+)$`, 'm').exec(text)?.[1]?.trim();
  const lines = text.split('\n');
  const creationLine = lines.findIndex((l) => l.includes('// @creation')) + 1;
  const leakClass = header('leak-class');
  if (leakClass === undefined || creationLine === 0) throw new Error(`${file}: needs // @leak-class and a // @creation line`);
  return {
    file,
    leakClass,
    run: (header('run') ?? 'node') as FixtureSpec['run'],
    path: header('path') ?? '/',
    method: header('method') ?? 'GET',
    creationLine,
  };
}

/** Compiles a TypeScript fixture the way its `@run` says and returns the command that starts it. */
async function commandFor(spec: FixtureSpec, buildDir: string): Promise<string[]> {
  if (spec.run === 'node') return [process.execPath, spec.file];
  if (spec.run === 'tsx') return [process.execPath, '--import', 'tsx', spec.file];
  const source = await readFile(spec.file, 'utf8');
  const outFile = join(buildDir, basename(spec.file).replace(/\.mts$/, '.mjs'));
  if (spec.run === 'esbuild') {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [spec.file], bundle: true, platform: 'node', format: 'esm', outfile: outFile,
      sourcemap: true, external: ['express', 'fastify', 'koa'], logLevel: 'silent',
    });
    return [process.execPath, outFile];
  }
  const ts = (await import('typescript')).default;
  const inline = spec.run === 'tsc-inline';
  // transpileModule is tsc's own emitter for one file; the options are what `tsc --sourceMap` would use.
  const out = ts.transpileModule(source, {
    fileName: spec.file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: !inline, inlineSourceMap: inline,
      inlineSources: inline, esModuleInterop: true, outDir: buildDir, rootDir: dirname(spec.file),
    },
  });
  await writeFile(outFile, out.outputText);
  // as tsc writes it: `sources` relative to the map (here ../../../test/fixtures/creation/x.mts)
  if (out.sourceMapText !== undefined) await writeFile(`${outFile}.map`, out.sourceMapText);
  return [process.execPath, outFile];
}

/** What one fixture run found and cost. */
export interface FixtureRun {
  readonly spec: FixtureSpec;
  readonly sites: CreationSites | null;
  readonly warnings: readonly string[];
  /** Leaked-class objects that had an allocation trace / that had none. */
  readonly tracedCount: number;
  readonly untracedCount: number;
  readonly warmupMs: number;
  readonly loadMs: number;
  readonly finishMs: number;
}

/** Launches the fixture, drives `requests` after `warmup`, and resolves the creation sites of its leak class. */
export async function runCreationFixture(
  spec: FixtureSpec,
  options: { warmup: number; requests: number; mode?: 'tracking' | 'sampling' | 'off'; samplingIntervalBytes?: number },
): Promise<FixtureRun> {
  const buildRoot = join(packageDir, 'dist', 'fixture-builds');
  await mkdir(buildRoot, { recursive: true });
  const buildDir = await mkdtemp(join(buildRoot, 'b-'));
  const snapshotDir = await mkdtemp(join(tmpdir(), 'lf-creation-'));
  const mode = options.mode ?? 'tracking';
  // Tracking is switched on at process start with `--track-heap-objects`, not over CDP: the inspector's
  // startTrackingHeapObjects also starts a 50 ms heap-stats timer that gives every object an id, and V8
  // stops updating the trace of an object with an id when the GC moves it (see allocation-tracking.ts).
  const env = mode === 'tracking' ? { ...process.env, NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --track-heap-objects`.trim() } : process.env;
  const server = await launchServer({ command: await commandFor(spec, buildDir), startupTimeoutMs: 20_000, cwd: packageDir, env });
  try {
    const driver = new LoadDriver({
      baseUrl: server.baseUrl, paths: [spec.path], method: spec.method, headers: {}, concurrency: 4,
    });
    const warmupStarted = performance.now();
    await driver.run(options.warmup);
    const warmupMs = performance.now() - warmupStarted;
    if (mode === 'sampling') await startSamplingHeapProfiler(server.session, { samplingIntervalBytes: options.samplingIntervalBytes ?? 1024 });
    const loadStarted = performance.now();
    await driver.run(options.requests);
    const loadMs = performance.now() - loadStarted;
    const finishStarted = performance.now();
    if (mode === 'off') return { spec, sites: null, warnings: [], tracedCount: 0, untracedCount: 0, warmupMs, loadMs, finishMs: 0 };
    await collectGarbage(server.session);
    let stacks: readonly AllocationStack[];
    let untracedCount = 0;
    if (mode === 'sampling') {
      const profile = await readSamplingProfile(server.session);
      await stopSamplingHeapProfiler(server.session);
      stacks = growingSampledStacks(null, profile);
    } else {
      const snapshotPath = join(snapshotDir, 'final.heapsnapshot');
      await takeHeapSnapshot(server.session, snapshotPath);
      // The engine's own path, as `check` uses it: the leaking group, then its creation stacks from explainGroups.
      const summary = await summarizeSnapshotFile(snapshotPath);
      // one leaked object per request: the group whose count is nearest to the requests sent is the leak
      const sent = options.warmup + options.requests;
      const group = summary.groups
        // a leaking closure's group is named `(closure)` by the engine, not after the function
        .filter((g) => g.className === spec.leakClass || g.className === '(closure)')
        .sort((a, b) => Math.abs(a.count - sent) - Math.abs(b.count - sent))[0];
      const explained = group === undefined ? [] : await explainGroups(snapshotPath, [group.key]);
      stacks = explained[0]?.creationStacks ?? [];
      untracedCount = (group?.count ?? 0) - stacks.reduce((sum, st) => sum + st.count, 0);
    }
    const scriptIds = new Set(stacks.flatMap((s) => s.frames.map((f) => f.scriptId)));
    const scripts = await readScriptSources(server.session, { scriptIds });
    const resolver = new SourceMapResolver({ scripts });
    const sites = resolveCreationSites(stacks, spec.leakClass, resolver, mode);
    const finishMs = performance.now() - finishStarted;
    const tracedCount = stacks.reduce((sum, s) => sum + s.count, 0);
    return { spec, sites, warnings: [...sites.warnings, ...resolver.warnings], tracedCount, untracedCount, warmupMs, loadMs, finishMs };
  } finally {
    await server.stop();
    await rm(snapshotDir, { recursive: true, force: true });
    await rm(buildDir, { recursive: true, force: true });
  }
}

/** True when the run's creation site is the fixture's `// @creation` line in the fixture's own file. */
export function isCreationLineRight(run: FixtureRun): boolean {
  const site = run.sites?.creationSite;
  if (site === null || site === undefined) return false;
  const file = site.file.startsWith('file:') ? fileURLToPath(site.file) : site.file;
  return basename(file) === basename(run.spec.file) && site.line === run.spec.creationLine;
}
