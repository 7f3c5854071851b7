/** The router's configuration file: DEPUTY_CONFIG, else router/router.yaml. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DEPUTY_CONFIG ?? 'router/router.yaml';
}
