import noClientPerRequest from './no-client-per-request.js';
import noEagerSession from './no-eager-session.js';
import noIntervalPerRequest from './no-interval-per-request.js';
import noListenerPerRequest from './no-listener-per-request.js';
import noModuleStatePerRequest from './no-module-state-per-request.js';
import noRequestInLongLived from './no-request-in-long-lived.js';
import noUnboundedMemoize from './no-unbounded-memoize.js';
import noUnboundedMetricLabels from './no-unbounded-metric-labels.js';
import requireIntervalCleanup from './require-interval-cleanup.js';

/** Every rule of the plugin by name; imported by hand so that a rule cannot be added without being listed. */
export const rules = {
  'no-client-per-request': noClientPerRequest,
  'no-eager-session': noEagerSession,
  'no-interval-per-request': noIntervalPerRequest,
  'no-listener-per-request': noListenerPerRequest,
  'no-module-state-per-request': noModuleStatePerRequest,
  'no-request-in-long-lived': noRequestInLongLived,
  'no-unbounded-memoize': noUnboundedMemoize,
  'no-unbounded-metric-labels': noUnboundedMetricLabels,
  'require-interval-cleanup': requireIntervalCleanup,
};
