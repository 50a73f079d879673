import type { ESLint } from 'eslint';
import { lintConfig } from './run-lint.js';

// ESLint's worker threads cannot receive plugin objects, so with `concurrency` each worker imports this module
// (`ESLint.fromOptionsModule`). The per-run values travel in the module URL's query: ?cwd=…&concurrency=….
const params = new URL(import.meta.url).searchParams;
const concurrency = params.get('concurrency') ?? 'off';

/** The ESLint options of a `leakfinder lint` run, rebuilt identically in every worker thread. */
const options: ESLint.Options = {
  cwd: params.get('cwd') ?? process.cwd(),
  overrideConfigFile: true,
  overrideConfig: lintConfig(),
  ignore: false,
  concurrency: concurrency === 'auto' || concurrency === 'off' ? concurrency : Number(concurrency),
};

export default options;
