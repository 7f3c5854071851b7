// `import { startRouter } from 'deputy'`: the router as a library (the package's "." export).
// What is exported here is the public API; everything else under dist/ is internal.
export { startRouter, type RunningRouter, type StartRouterOptions } from './startRouter.js';
export { loadRouterConfig, parseRouterConfig, ConfigError } from './config/loadRouterConfig.js';
export type { RouterConfig, SubgraphConfig } from './config/configSchema.js';
export type * from './trace/delegationTrace.js';
