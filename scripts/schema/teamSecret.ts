import { existsSync, readFileSync } from 'node:fs';
import { clientSecretVariable } from '../../auth-server/config.js';

/** Where `npm start` leaves the secrets local tools need (mode 0600, removed when it stops); DEPUTY_LOCAL_SECRETS moves it. */
export function localSecretsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.DEPUTY_LOCAL_SECRETS ?? '.deputy/local-secrets.json';
}

/** A team client's secret: from its environment variable, else from the local secrets file. */
export function teamSecret(clientId: string, env: NodeJS.ProcessEnv = process.env): string {
  const variable = clientSecretVariable(clientId);
  if (env[variable]) return env[variable]!;
  const file = localSecretsFile(env);
  if (existsSync(file)) {
    const secrets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    if (secrets[variable]) return secrets[variable];
  }
  throw new Error(`no secret for ${clientId}: set ${variable}, or run npm start (which writes ${file})`);
}
