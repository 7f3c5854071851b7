// `npm start`: runs the whole embedded stack on loopback, waits until every part answers,
// prints where each listens, and stops every child on Ctrl-C or when one of them dies.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_HOST, portFor, portVariable, type StackPart } from '../lib/defaults.js';
import { localSecretsFile } from '../lib/config/clientSecrets.js';
import { SUBGRAPH_NAMES } from '../subgraphs/subgraphNames.js';
import { generateClientSecrets } from '../auth-server/loadConfig.js';
import { clientSecretVariable } from '../auth-server/config.js';
import { confidentialClientIds } from '../auth-server/demoIdentities.js';
import { parseExtraAudiences } from '../auth-server/withAudiences.js';
import { ROUTER_AUDIENCE } from '../auth-server/audiences.js';
import { ensurePortFree } from './stack/ensurePortFree.js';
import { spawnPart, type Part } from './stack/spawnPart.js';
import { waitUntilHealthy } from './stack/waitUntilHealthy.js';

const READY_TIMEOUT_MS = 60_000;
const host = process.env.DEPUTY_HOST ?? DEFAULT_HOST;
// DEPUTY_ISSUER names an identity provider of the user's own: no embedded authorization server then.
const externalIssuer = process.env.DEPUTY_ISSUER;
const parts: Part[] = [];
let stopping = false;

interface PartSpec {
  name: StackPart;
  entry: string;
  args: string[];
  port: number;
  healthPath: string;
}

function specs(): PartSpec[] {
  const auth: PartSpec = {
    name: 'auth',
    entry: 'auth-server/main.ts',
    args: [],
    port: portFor('auth'),
    healthPath: '/.well-known/openid-configuration',
  };
  const subgraphs = SUBGRAPH_NAMES.map((name) => ({
    name,
    entry: 'subgraphs/main.ts',
    args: [name],
    port: portFor(name),
    healthPath: '/health',
  }));
  return [...(externalIssuer ? [] : [auth]), ...subgraphs, { name: 'router', entry: 'router/cli.ts', args: [], port: portFor('router'), healthPath: '/health' }];
}


const SECRET_PREFIX = 'DEPUTY_CLIENT_SECRET_';

/** Every client secret of the run: generated, unless the environment already sets one. */
function clientSecrets(): Record<string, string> {
  const fromEnv = Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith(SECRET_PREFIX) && !!entry[1]);
  // Another provider's clients have the secrets it gave them: only the environment's.
  return { ...(externalIssuer ? {} : generateClientSecrets(confidentialClientIds(parseExtraAudiences(process.env.DEPUTY_EXTRA_AUDIENCES)))), ...Object.fromEntries(fromEnv) };
}

/** The secrets one part needs: the auth server all (it checks them), the router its own, a subgraph its service's. */
function secretsFor(part: StackPart, secrets: Record<string, string>): Record<string, string> {
  if (part === 'auth') return secrets;
  const clientId = part === 'router' ? 'deputy-router' : `${part}-service`;
  const name = clientSecretVariable(clientId);
  return secrets[name] ? { [name]: secrets[name] } : {};
}

/** Each part's environment: the shared settings, and only its own secrets (none of the others'). */
function childEnv(spec: PartSpec, all: PartSpec[], secrets: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith(SECRET_PREFIX)));
  Object.assign(env, secretsFor(spec.name, secrets), { DEPUTY_HOST: host });
  // The embedded stack is for development: introspection and the console on (the router's default is production).
  env.DEPUTY_MODE ??= 'development';
  for (const other of all) env[portVariable(other.name)] = String(other.port);
  env.DEPUTY_ISSUER ??= `http://${host}:${all.find((other) => other.name === 'auth')?.port}`;
  // The supergraph's routing URLs hold the default ports; point the router at the real ones.
  for (const name of SUBGRAPH_NAMES) {
    const other = all.find((candidate) => candidate.name === name);
    env[`DEPUTY_SUBGRAPH_${name.toUpperCase()}_URL`] = `http://${host}:${other?.port}/graphql`;
  }
  if (spec.name === 'auth') env.DEPUTY_SSF_RECEIVERS ??= securityEventReceivers(all);
  return env;
}

/**
 * Where the embedded authorization server pushes security events (revocations, logouts, claims
 * changes): the router and each subgraph, at `POST /events`, each under its token audience
 * (the router's `deputy-router`, a subgraph's its name).
 */
function securityEventReceivers(all: PartSpec[]): string {
  return all
    .filter((part) => part.name !== 'auth')
    .map((part) => `${part.name === 'router' ? ROUTER_AUDIENCE : part.name}=http://${host}:${part.port}/events`)
    .join(',');
}

/** Team and registry admin secrets for local tools (deputy subgraph/schema), readable by this user only, removed on stop. */
function writeLocalSecrets(secrets: Record<string, string>): void {
  const teams = Object.fromEntries(Object.entries(secrets).filter(([key]) => key.endsWith('_TEAM') || key === clientSecretVariable('registry-admin')));
  mkdirSync(dirname(localSecretsFile()), { recursive: true });
  writeFileSync(localSecretsFile(), JSON.stringify(teams, null, 2), { mode: 0o600 });
}

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  rmSync(localSecretsFile(), { force: true });
  for (const part of parts) if (part.alive()) part.child.kill('SIGTERM');
  const forceKill = setTimeout(() => parts.forEach((part) => part.alive() && part.child.kill('SIGKILL')), 5000);
  await Promise.all(parts.map((part) => part.exited));
  clearTimeout(forceKill);
  process.exit(exitCode);
}

function printReady(all: PartSpec[]): void {
  const rows = all.map((spec) => {
    const url = `http://${host}:${spec.port}${spec.name === 'auth' ? '' : '/graphql'}`;
    return `  ${spec.name.padEnd(10)} ${url.padEnd(34)} ${portVariable(spec.name)}`;
  });
  const routerUrl = `http://${host}:${all.find((spec) => spec.name === 'router')?.port}/graphql`;
  console.log(
    [
      '',
      'Deputy is ready: a development stack (demo users and generated secrets, introspection and the web console on).',
      'For production, run the deputy binary with your own configuration (mode production is its default).',
      `  ${'part'.padEnd(10)} ${'listens on'.padEnd(34)} port variable`,
      ...rows,
      '',
      ...(externalIssuer
        ? [`Get a user token for the router (audience ${process.env.DEPUTY_ROUTER_AUDIENCE ?? 'deputy-router'}) from your identity provider, ${externalIssuer}, as TOKEN.`]
        : ['Get a token (audience: the router) for a demo user; the demo password is the user name:', '  TOKEN=$(npm run -s token -- alice)']),
      '',
      'Try it:',
      `  curl -s ${routerUrl} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
      `    -d '{"query":"{ topProducts { name price inStock reviews { body author { username } } } }"}'`,
      '',
      externalIssuer ? `The web console at ${routerUrl.replace(/\/graphql$/, '/')} logs in at the embedded server only.` : `Or open the web console at ${routerUrl.replace(/\/graphql$/, '/')} and log in (alice, password alice).`,
      '',
      'Press Ctrl-C to stop every part.',
    ].join('\n'),
  );
}

function launch(spec: PartSpec, all: PartSpec[], secrets: Record<string, string>): Promise<void> {
  const part = spawnPart(spec.name, spec.entry, spec.args, childEnv(spec, all, secrets));
  parts.push(part);
  void part.exited.then((code) => {
    if (stopping) return;
    const last = part.lastErrors();
    console.error(`${spec.name} exited (code ${code})${last.length ? `; its last error:\n  ${last.join('\n  ')}` : ' without an error message'}; stopping the stack.`);
    void stopAll(1);
  });
  return waitUntilHealthy(`http://${host}:${spec.port}${spec.healthPath}`, READY_TIMEOUT_MS, part.alive);
}

async function main(): Promise<void> {
  const all = specs();
  for (const spec of all) {
    await ensurePortFree(host, spec.port, spec.name, `Set ${portVariable(spec.name)} to another port (see README.md).`);
  }
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  const secrets = clientSecrets();
  writeLocalSecrets(secrets);
  const backends = all.filter((spec) => spec.name !== 'router');
  // The auth server and the subgraphs start side by side; the router waits for them all.
  await Promise.all(backends.map((spec) => launch(spec, all, secrets)));
  await Promise.all(all.filter((spec) => spec.name === 'router').map((spec) => launch(spec, all, secrets)));
  printReady(all);
}

main().catch((error: Error) => {
  console.error(`start: ${error.message}`);
  void stopAll(1);
});
