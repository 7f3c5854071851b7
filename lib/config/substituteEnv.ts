const REFERENCE = /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g;

/**
 * Replaces ${VAR} and ${VAR:-default} in every string of a parsed YAML document, so secrets
 * and ports come from the environment. A string that becomes empty counts as unset. An
 * unset variable without a default is an error naming the variable and where it is used.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, source: string, path = ''): unknown {
  if (typeof value === 'string') {
    const replaced = value.replace(REFERENCE, (_match, name: string, fallback?: string) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new Error(`${source}: ${path || '(top level)'} uses \${${name}}, which is not set`);
    });
    return replaced === '' && value !== '' ? undefined : replaced;
  }
  if (Array.isArray(value)) return value.map((item, index) => substituteEnv(item, env, source, `${path}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, source, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}
