import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LeakfinderError } from '../errors.js';

/** A scenario function as the user wrote it; the context it gets is described in docs/check.md. */
export type ScenarioFunction = (context: Record<string, unknown>) => unknown;

/** A loaded scenario module (`check --scenario flow.mjs`). */
export interface ScenarioModule {
  /** Absolute path of the scenario file. */
  readonly file: string;
  /** `export async function setup({ baseUrl, fetch })`: runs once, its result is `state`. */
  readonly setup?: ScenarioFunction;
  /** `export default async function iteration({ baseUrl, fetch, n, state, signal })`: one unit of work. */
  readonly iteration: ScenarioFunction;
  /** `export async function teardown({ state })`: runs once at the end. */
  readonly teardown?: ScenarioFunction;
}

const typeScriptExtensions = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Imports the scenario file: `.mjs`/`.js` with Node's own `import()`, `.ts` with tsx's ESM API (`tsImport`)
 * from the project (`cwd`), where a server that runs TypeScript has it installed. Every failure is one
 * `LF_SCENARIO_FAILED` line naming the file (and the line, for a syntax error).
 */
export async function loadScenario(file: string, options: { cwd?: string } = {}): Promise<ScenarioModule> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, file);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new LeakfinderError('LF_FILE_NOT_FOUND', `scenario file ${path} does not exist: check the \`--scenario\` path.`, { usage: true });
  }
  if (!isFile) throw new LeakfinderError('LF_FILE_UNREADABLE', `scenario ${path} is not a file: give \`--scenario\` an .mjs, .js or .ts file.`, { usage: true });
  let namespace: Record<string, unknown>;
  try {
    namespace = typeScriptExtensions.has(extname(path)) ? await importTypeScript(path, cwd) : ((await import(pathToFileURL(path).href)) as Record<string, unknown>);
  } catch (error) {
    if (LeakfinderError.is(error)) throw error;
    let described = describeScenarioError(error, path);
    // An ES module's syntax error carries its position only in Node's printed banner: ask `node --check`.
    if (error instanceof SyntaxError && scenarioLineOf(error, path) === null) {
      const line = syntaxErrorLine(path);
      if (line !== null) described += ` (${path.slice(path.lastIndexOf('/') + 1)}:${line})`;
    }
    throw scenarioError(`could not load scenario ${path}: ${described}`, error);
  }
  // A CommonJS scenario (`module.exports = { setup, default }`) arrives as `default`: look inside it too.
  const inner = typeof namespace.default === 'object' && namespace.default !== null ? (namespace.default as Record<string, unknown>) : undefined;
  const pick = (name: string): unknown => namespace[name] ?? inner?.[name];
  const iteration = typeof namespace.default === 'function' ? namespace.default : (pick('iteration') ?? inner?.default);
  if (typeof iteration !== 'function') {
    throw scenarioError(
      `scenario ${path} has no default export function: write \`export default async function iteration({ fetch, n, state }) { ... }\`.`,
    );
  }
  const optional = (name: 'setup' | 'teardown'): ScenarioFunction | undefined => {
    const value = pick(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'function') throw scenarioError(`scenario ${path}: the export \`${name}\` must be a function, got ${typeof value}.`);
    return value as ScenarioFunction;
  };
  return { file: path, iteration: iteration as ScenarioFunction, setup: optional('setup'), teardown: optional('teardown') };
}

/**
 * A `.ts` scenario through tsx's ESM API, resolved from the project (`cwd`), then from the scenario's folder:
 * the tsx that runs the server's TypeScript, not one of leakfinder's own (it has none).
 */
async function importTypeScript(path: string, cwd: string): Promise<Record<string, unknown>> {
  let apiFile: string | undefined;
  for (const from of [join(cwd, 'package.json'), join(dirname(path), 'package.json')]) {
    try {
      const packageJson = createRequire(from).resolve('tsx/package.json');
      const exportsField = (JSON.parse(readFileSync(packageJson, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> }).exports;
      const relative = exportsField?.['./esm/api']?.import?.default;
      if (relative !== undefined) {
        apiFile = join(dirname(packageJson), relative);
        break;
      }
    } catch {
      // not installed there: try the next place
    }
  }
  if (apiFile === undefined) {
    throw scenarioError(
      `scenario ${path} is TypeScript, which needs tsx in the project to load: \`npm install -D tsx\`, or write the scenario as .mjs.`,
    );
  }
  const api = (await import(pathToFileURL(apiFile).href)) as { tsImport?: (specifier: string, parent: string) => Promise<Record<string, unknown>> };
  if (typeof api.tsImport !== 'function') {
    throw scenarioError(`scenario ${path}: the installed tsx (${apiFile}) has no \`tsImport\`; use tsx 4.15 or later, or write the scenario as .mjs.`);
  }
  return api.tsImport(pathToFileURL(path).href, pathToFileURL(join(cwd, 'noop.js')).href);
}

/** The line `node --check` reports for a syntax error in `path`, or null. */
function syntaxErrorLine(path: string): number | null {
  const result = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 });
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^(?:file://)?${escaped}:(\\d+)`, 'm').exec(result.stderr ?? '');
  return m ? Number(m[1]) : null;
}

function scenarioError(message: string, cause?: unknown): LeakfinderError {
  return new LeakfinderError('LF_SCENARIO_FAILED', message, { cause, usage: true });
}

/** Where an error happened in the scenario file: the first stack frame (or syntax error position) in it. */
export function scenarioLineOf(error: unknown, file: string): number | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const url = pathToFileURL(file).href;
  for (const name of [url, file]) {
    let from = stack.indexOf(name);
    while (from !== -1) {
      const m = /^:(\d+)/.exec(stack.slice(from + name.length));
      if (m) return Number(m[1]);
      from = stack.indexOf(name, from + name.length);
    }
  }
  return null;
}

/** One line: `TypeError: x is not a function (flow.mjs:12)`; the line only when it is in the scenario file. */
export function describeScenarioError(error: unknown, file: string): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  const line = scenarioLineOf(error, file);
  const oneLine = text.replace(/\s*\n\s*/g, ' ').slice(0, 300);
  return line === null ? oneLine : `${oneLine} (${file.slice(file.lastIndexOf('/') + 1)}:${line})`;
}
