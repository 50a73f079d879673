import { LeakfinderError } from '../../errors.js';
import type { Command } from '../command.js';

// Placeholder until the command lands; it says so instead of pretending to work.
export const checkCommand: Command = {
  name: 'check',
  summary: '(not implemented yet)',
  usage: 'leakfinder check: not implemented yet\n',
  run() {
    return Promise.reject(new LeakfinderError('LF_OPTION_INVALID', '`check` is not implemented yet.', { usage: true }));
  },
};
