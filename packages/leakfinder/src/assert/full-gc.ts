import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LeakfinderError } from '../errors.js';
import type { InspectorSession } from '../inspector/session.js';

/** Collects garbage fully: every unreachable object, weak references cleared. */
export type FullGc = () => Promise<void>;

/** The one line a test author needs when no way to force a GC works. */
export const exposeGcHint =
  'run the tests with `--expose-gc` (`node --expose-gc --test`, `NODE_OPTIONS=--expose-gc npx jest`, `NODE_OPTIONS=--expose-gc npx vitest`)';

/**
 * Picks how to force a full GC without requiring `--expose-gc`: `global.gc` when the process has it, else
 * `HeapProfiler.collectGarbage` through the in-process inspector session (V8's LowMemoryNotification:
 * several full GCs, weak references cleared), else V8's `--expose-gc` flag set at run time, which makes
 * `gc` appear in contexts created afterwards (`vm.runInNewContext('gc')`). Throws `LF_GC_UNAVAILABLE`
 * with the command line to use when none works.
 */
export function chooseFullGc(session: InspectorSession | null): FullGc {
  const globalGc = (globalThis as { gc?: unknown }).gc;
  if (typeof globalGc === 'function') {
    return async () => {
      (globalGc as () => void)();
      await eventLoopTurn(); // finalizers and weak callbacks run as tasks, and may free more
      (globalGc as () => void)();
    };
  }
  if (session !== null) {
    return async () => {
      // The inspector keeps console.log arguments alive while a session is attached (field notes).
      await session.call('Runtime.discardConsoleEntries').catch(() => undefined);
      await session.call('HeapProfiler.collectGarbage');
      await eventLoopTurn();
      await session.call('HeapProfiler.collectGarbage');
    };
  }
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') {
      return async () => {
        (gc as () => void)();
        await eventLoopTurn();
        (gc as () => void)();
      };
    }
  } catch {
    // fall through to the error below
  }
  throw new LeakfinderError('LF_GC_UNAVAILABLE', `leakfinder/assert cannot force a garbage collection in this process: ${exposeGcHint}.`, {
    usage: true,
  });
}

/** One full turn of the event loop (timers, I/O and immediates queued before it have run). */
export function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
