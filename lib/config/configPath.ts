import { packagePath } from '../packagePath.js';

/** The router's configuration file: DEPUTY_CONFIG, else the package's router/router.yaml. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DEPUTY_CONFIG ?? packagePath('router', 'router.yaml');
}
