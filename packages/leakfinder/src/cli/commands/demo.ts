import { LeakfinderError } from '../../errors.js';
import type { Command } from '../command.js';

// Placeholder until the command lands; it says so instead of pretending to work.
export const demoCommand: Command = {
  name: 'demo',
  summary: '(not implemented yet)',
  usage: 'leakfinder demo: not implemented yet\n',
  run() {
    return Promise.reject(new LeakfinderError('LF_OPTION_INVALID', '`demo` is not implemented yet.', { usage: true }));
  },
};
