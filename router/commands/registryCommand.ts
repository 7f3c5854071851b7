// `deputy schema ...` and `deputy subgraph ...`: the schema registry from a terminal or a CI job,
// through the router's admin API (README.md "Schema registry"). Exit codes: 0 done or passed,
// 1 refused or failed check, 2 usage error or nothing reachable.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SchemaVersion, VersionSummary } from '../../registry/store/registryStore.js';
import { AdminApiError, callAdminApi, defaultEndpoints, type AdminApiOptions } from './adminApi.js';
import { formatCheck, formatHistory, type CheckReportBody } from './formatRegistry.js';

export const REGISTRY_HELP = `Usage:
  deputy schema history [--limit N] [--json]
  deputy schema fetch [--version N] [--output file] [--json]
  deputy schema rollback <version>
  deputy subgraph check --name <subgraph> --schema <file> [--routing-url <url>] [--json]
  deputy subgraph publish --name <subgraph> --schema <file> [--routing-url <url>] [--allow-breaking]
  deputy subgraph fetch --name <subgraph> [--version N]
  deputy subgraph approve --name <owning subgraph> --field <Type.field> --taker <subgraph>

Common options:
  --router <url>   the router (default $DEPUTY_ROUTER_URL, else http://127.0.0.1:4000)
  --issuer <url>   the authorization server (default $DEPUTY_ISSUER, else http://127.0.0.1:4010)
  --client <id>    the client to act as (default: <name>-team for subgraph verbs, registry-admin
                   for schema verbs); its secret from DEPUTY_CLIENT_SECRET_<ID> or the file npm
                   start writes. DEPUTY_ADMIN_TOKEN, when set, is used as the token instead.`;

const COMMON = {
  router: { type: 'string' },
  issuer: { type: 'string' },
  client: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

const VERB_OPTIONS = {
  ...COMMON,
  limit: { type: 'string' },
  version: { type: 'string' },
  output: { type: 'string' },
  name: { type: 'string' },
  schema: { type: 'string' },
  'routing-url': { type: 'string' },
  'allow-breaking': { type: 'boolean', default: false },
  field: { type: 'string' },
  taker: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof VERB_OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

function required(values: Values, name: keyof Values): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function apiOptions(values: Values, clientId: string, scope: string): AdminApiOptions {
  const defaults = defaultEndpoints();
  return { router: values.router ?? defaults.router, issuer: values.issuer ?? defaults.issuer, clientId: values.client ?? clientId, scope };
}

const admin = (values: Values) => apiOptions(values, 'registry-admin', 'schema:admin');
const team = (values: Values) => apiOptions(values, `${required(values, 'name')}-team`, 'schema:publish');
const print = (values: Values, body: unknown, text: string) => console.log(values.json ? JSON.stringify(body, null, 2) : text);

function proposal(values: Values) {
  const file = required(values, 'schema');
  let sdl: string;
  try {
    sdl = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read the schema file ${file}`);
  }
  return { subgraph: required(values, 'name'), sdl, ...(values['routing-url'] ? { routingUrl: values['routing-url'] } : {}) };
}

const VERBS: Record<string, (values: Values, positionals: string[]) => Promise<number>> = {
  async 'schema history'(values) {
    const body = await callAdminApi<{ versions: VersionSummary[] }>(admin(values), '/admin/schema/versions', { query: values.limit ? { limit: values.limit } : {} });
    print(values, body, formatHistory(body.versions));
    return 0;
  },
  async 'schema fetch'(values) {
    const version = await callAdminApi<SchemaVersion>(admin(values), '/admin/schema/version', { query: values.version ? { version: values.version } : {} });
    if (values.output) writeFileSync(values.output, version.supergraphSdl);
    else print(values, version, version.supergraphSdl);
    if (values.output) console.error(`version ${version.version} (${version.supergraphHash}) written to ${values.output}`);
    return 0;
  },
  async 'schema rollback'(values, positionals) {
    const target = positionals[0];
    if (!target || !/^\d+$/.test(target)) throw new UsageError('deputy schema rollback <version>: which version to restore');
    const body = await callAdminApi<{ version: number; hashBefore: string; hashAfter: string }>(admin(values), '/admin/schema/rollback', { body: { version: Number(target) } });
    print(values, body, `✓ rolled back to version ${target}: now version ${body.version} (${body.hashBefore} -> ${body.hashAfter})`);
    return 0;
  },
  async 'subgraph check'(values) {
    const report = await callAdminApi<CheckReportBody>(team(values), '/admin/schema/check', { body: proposal(values) });
    print(values, report, formatCheck(report));
    return report.ok ? 0 : 1;
  },
  async 'subgraph publish'(values) {
    const body = await callAdminApi<CheckReportBody & { version: number; hashBefore: string; hashAfter: string }>(team(values), '/admin/schema', {
      body: { ...proposal(values), allowBreaking: values['allow-breaking'] },
    });
    print(values, body, `${formatCheck(body)}\n✓ published ${body.subgraph}: version ${body.version} (${body.hashBefore} -> ${body.hashAfter})`);
    return 0;
  },
  async 'subgraph fetch'(values) {
    const name = required(values, 'name');
    const version = await callAdminApi<SchemaVersion>(team(values), '/admin/schema/version', { query: values.version ? { version: values.version } : {} });
    const subgraph = version.subgraphs.find((candidate) => candidate.name === name);
    if (!subgraph) throw new UsageError(`version ${version.version} has no subgraph ${name} (it has ${version.subgraphs.map((s) => s.name).join(', ')})`);
    print(values, subgraph, subgraph.sdl);
    return 0;
  },
  async 'subgraph approve'(values) {
    const body = await callAdminApi<{ approvals: { owner: string; field: string; taker: string }[] }>(team(values), '/admin/schema/approvals', {
      body: { field: required(values, 'field'), taker: required(values, 'taker') },
    });
    print(values, body, body.approvals.map((approval) => `✓ ${approval.owner} lets ${approval.taker} take over ${approval.field} in its next publish`).join('\n'));
    return 0;
  },
};

/** Runs `deputy <noun> <verb> ...` and resolves to the process's exit code. */
export async function runRegistryCommand(args: string[]): Promise<number> {
  const [noun, verb, ...rest] = args;
  const run = VERBS[`${noun} ${verb}`];
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: VERB_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`deputy: ${(error as Error).message}\n\n${REGISTRY_HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(REGISTRY_HELP);
    return 0;
  }
  if (!run) {
    console.error(`deputy: no verb ${noun} ${verb ?? ''}\n\n${REGISTRY_HELP}`);
    return 2;
  }
  try {
    return await run(parsed.values, parsed.positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`deputy ${noun} ${verb}: ${error.message}`);
      return 2;
    }
    if (error instanceof AdminApiError) {
      console.error(`✗ the registry refused: ${error.code} ${error.message}`);
      if (args.includes('--json')) console.error(JSON.stringify(error.extensions, null, 2));
      return 1;
    }
    console.error(`deputy ${noun} ${verb}: ${(error as Error).message}`);
    return 2;
  }
}
