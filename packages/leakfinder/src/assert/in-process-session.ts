import { InProcessTransport } from '../inspector/in-process-transport.js';
import { InspectorSession } from '../inspector/session.js';

/**
 * An inspector session to this thread's own V8 (`node:inspector`, no port), or null when this Node has no
 * inspector (built without it): then the assertions fall back to other ways of forcing a GC and record no
 * creation sites. Close it when done.
 */
export function openInProcessSession(): InspectorSession | null {
  try {
    return new InspectorSession(new InProcessTransport(), { defaultTimeoutMs: 120_000 });
  } catch {
    return null;
  }
}
