import { LeakfinderError } from '../../errors.js';
import type { Command } from '../command.js';

// Placeholder until the command lands; it says so instead of pretending to work.
export const diffCommand: Command = {
  name: 'diff',
  summary: '(not implemented yet)',
  usage: 'leakfinder diff: not implemented yet\n',
  run() {
    return Promise.reject(new LeakfinderError('LF_OPTION_INVALID', '`diff` is not implemented yet.', { usage: true }));
  },
};
