import { existsSync, readFileSync } from 'node:fs';

/** The environment variable holding a client's secret: DEPUTY_CLIENT_SECRET_<ID>, the id upper-cased, other characters as `_`. */
export function clientSecretVariable(clientId: string): string {
  return `DEPUTY_CLIENT_SECRET_${clientId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Where `npm start` leaves the secrets local tools need (mode 0600, removed when it stops); DEPUTY_LOCAL_SECRETS moves it. */
export function localSecretsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.DEPUTY_LOCAL_SECRETS ?? '.deputy/local-secrets.json';
}

/** A client's secret: from its environment variable, else from the local secrets file. */
export function clientSecret(clientId: string, env: NodeJS.ProcessEnv = process.env): string {
  const variable = clientSecretVariable(clientId);
  if (env[variable]) return env[variable]!;
  const file = localSecretsFile(env);
  if (existsSync(file)) {
    const secrets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    if (secrets[variable]) return secrets[variable];
  }
  throw new Error(`no secret for ${clientId}: set ${variable}, or run npm start (which writes ${file})`);
}
