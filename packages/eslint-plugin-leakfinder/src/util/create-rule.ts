import { ESLintUtils } from '@typescript-eslint/utils';

/** Where each rule's documentation lives; ESLint shows it as the rule's `docs.url`. */
export const docsBaseUrl =
  'https://github.com/leakfinder/leakfinder/blob/main/packages/eslint-plugin-leakfinder/docs/rules/';

/** Extra `docs` fields of our rules: whether the rule is in `configs.recommended`. */
export interface LeakfinderRuleDocs {
  description: string;
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}

/** typescript-eslint's rule factory with our docs URL, so every rule's `meta.docs.url` points at its doc. */
export const createRule = ESLintUtils.RuleCreator<LeakfinderRuleDocs>((name) => `${docsBaseUrl}${name}.md`);
