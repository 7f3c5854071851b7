import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { substituteEnv } from '../../lib/config/substituteEnv.js';
import { auditConfigSchema, type AuditConfig } from './auditConfigSchema.js';

/**
 * Only the `audit` block of a router configuration file, substituted and validated: what the
 * `deputy audit` verb needs, without the variables the rest of the file reads (the client
 * secret...). Throws an Error naming the file and the key.
 */
export function readAuditConfig(file: string, env: NodeJS.ProcessEnv = process.env): AuditConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new Error(`${file}: cannot read the configuration file: ${(error as Error).message}`);
  }
  const block = substituteEnv((raw as { audit?: unknown }).audit ?? {}, env, file, 'audit');
  const result = auditConfigSchema.safeParse(block);
  if (!result.success) throw new Error(`${file}: invalid audit configuration: ${result.error.issues.map((issue) => `audit.${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return result.data;
}
