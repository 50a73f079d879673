import type { TSESLint } from '@typescript-eslint/utils';
import { rules } from './rules/index.js';

/** The rule names of the plugin, without the `leakfinder/` prefix. */
export type RuleName = keyof typeof rules;

const plugin = {
  meta: { name: 'eslint-plugin-leakfinder', version: '0.1.0' },
  rules,
  configs: {} as { recommended: TSESLint.FlatConfig.Config },
};

/**
 * The recommended flat config: every rule as an error. It sets no parser and no `files`, so it applies to
 * whatever the surrounding config lints (add `@typescript-eslint/parser` for TypeScript).
 * @example
 * // eslint.config.js
 * import leakfinder from 'eslint-plugin-leakfinder';
 * export default [leakfinder.configs.recommended];
 */
plugin.configs.recommended = {
  name: 'leakfinder/recommended',
  plugins: { leakfinder: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: Object.fromEntries(
    Object.entries(rules)
      .filter(([, rule]) => rule.meta.docs?.recommended === true)
      .map(([name]) => [`leakfinder/${name}`, 'error']),
  ),
};

export { rules };
export default plugin;
