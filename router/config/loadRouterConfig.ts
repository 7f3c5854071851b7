import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema, type RouterConfig } from './configSchema.js';
import { substituteEnv } from '../../lib/config/substituteEnv.js';
import { configPath } from '../../lib/config/configPath.js';
import { resolveConfigPaths } from './resolveConfigPaths.js';

/** A configuration problem; the message names the file and the key path. */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
}

export { configPath };

/** Validates a parsed configuration object (after ${VAR} substitution). */
export function parseRouterConfig(raw: unknown, source: string, env: NodeJS.ProcessEnv = process.env): RouterConfig {
  let substituted: unknown;
  try {
    substituted = substituteEnv(raw, env, source);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const result = configSchema.safeParse(substituted);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ConfigError(`${source}: invalid configuration\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Reads, substitutes and validates the router's YAML configuration file, once at start-up; its relative paths are relative to it. */
export function loadRouterConfig(file = configPath(), env: NodeJS.ProcessEnv = process.env): RouterConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read the configuration file (set DEPUTY_CONFIG to point elsewhere)`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  return resolveConfigPaths(parseRouterConfig(raw, file, env), file);
}
