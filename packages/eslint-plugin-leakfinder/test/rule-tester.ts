// RuleTester wired to node:test, as typescript-eslint's Rule_Tester docs describe; import this instead of the package.
import { RuleTester } from '@typescript-eslint/rule-tester';
import { after, describe, it } from 'node:test';

RuleTester.afterAll = after;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export { RuleTester };
