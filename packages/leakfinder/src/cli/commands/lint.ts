import { LeakfinderError } from '../../errors.js';
import type { Command } from '../command.js';

// Placeholder until the command lands; it says so instead of pretending to work.
export const lintCommand: Command = {
  name: 'lint',
  summary: '(not implemented yet)',
  usage: 'leakfinder lint: not implemented yet\n',
  run() {
    return Promise.reject(new LeakfinderError('LF_OPTION_INVALID', '`lint` is not implemented yet.', { usage: true }));
  },
};
