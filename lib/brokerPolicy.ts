import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { substituteEnv } from './config/substituteEnv.js';
import { configPath } from './config/configPath.js';

/**
 * The broker policy (`broker.callers` of the router's configuration): which services may act
 * for a user, toward which targets, with which scopes. One policy, read by all three sides:
 * the router's POST /delegate, the authorization server's direct service exchanges (the
 * fallback when the broker is down: read scopes only), and each subgraph's list of actors.
 */
export type BrokerCallers = Record<string, { subgraph: string; targets: Record<string, string[]> }>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the shape of `broker.callers`; a problem names the file and the key. */
export function parseBrokerCallers(raw: unknown, source: string): BrokerCallers {
  if (raw === undefined || raw === null) return {};
  const bad = (path: string, what: string) => new Error(`${source}: broker.callers${path}: ${what}`);
  if (!isRecord(raw)) throw bad('', 'expected a map of service client ids');
  const callers: BrokerCallers = {};
  for (const [client, entry] of Object.entries(raw)) {
    if (!isRecord(entry) || typeof entry.subgraph !== 'string' || !isRecord(entry.targets)) throw bad(`.${client}`, 'expected { subgraph, targets }');
    const targets: Record<string, string[]> = {};
    for (const [target, scopes] of Object.entries(entry.targets)) {
      if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) throw bad(`.${client}.targets.${target}`, 'expected a list of scopes');
      targets[target] = scopes as string[];
    }
    callers[client] = { subgraph: entry.subgraph, targets };
  }
  return callers;
}

/** Reads `broker.callers` from a router configuration file (only that part; ${VAR} substituted). */
export function readBrokerCallers(file: string, env: NodeJS.ProcessEnv = process.env): BrokerCallers {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the broker policy (DEPUTY_BROKER_POLICY or DEPUTY_CONFIG): ${(error as Error).message}`);
  }
  const callers = isRecord(document) && isRecord(document.broker) ? document.broker.callers : undefined;
  return parseBrokerCallers(substituteEnv(callers, env, file, 'broker.callers'), file);
}

/** The broker callers allowed to call `target`, each with the scopes it may ask for there. */
export function callersOf(target: string, callers: BrokerCallers): Record<string, string[]> {
  return Object.fromEntries(Object.entries(callers).flatMap(([client, entry]) => (Object.hasOwn(entry.targets, target) ? [[client, entry.targets[target]]] : [])));
}

/** Where the broker policy is read from: DEPUTY_BROKER_POLICY, else the router's configuration file. */
export function brokerPolicyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.DEPUTY_BROKER_POLICY ?? configPath(env);
}
