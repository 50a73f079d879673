import type { Command } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { checkCommand } from './check.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { diffCommand } from './diff.js';
import { lintCommand } from './lint.js';
import { watchCommand } from './watch.js';

/** Every command, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  checkCommand,
  watchCommand,
  analyzeCommand,
  diffCommand,
  compareCommand,
  lintCommand,
  demoCommand,
];
