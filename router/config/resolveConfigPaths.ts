import { dirname, resolve } from 'node:path';
import type { RouterConfig } from './configSchema.js';

/**
 * Makes the file paths a configuration file names absolute, relative to that file's folder
 * (as rover.yaml's are): the same file works from any working directory, including the
 * default configuration inside an installed package.
 */
export function resolveConfigPaths(config: RouterConfig, configFile: string): RouterConfig {
  const base = dirname(resolve(configFile));
  const at = (path: string | undefined) => (path === undefined ? undefined : resolve(base, path));
  return {
    ...config,
    supergraph: { ...config.supergraph, file: at(config.supergraph.file), rover: at(config.supergraph.rover), sources: at(config.supergraph.sources) },
    exchange: {
      ...config.exchange,
      privateKeyFile: at(config.exchange.privateKeyFile),
      certificateFile: at(config.exchange.certificateFile),
      certificateKeyFile: at(config.exchange.certificateKeyFile),
      caFile: at(config.exchange.caFile),
    },
    audit: { ...config.audit, file: at(config.audit.file), fallbackFile: at(config.audit.fallbackFile) },
  };
}
