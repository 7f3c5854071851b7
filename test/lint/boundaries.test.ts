import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The boundaries between the parts are lint rules (eslint.config.js); these cases prove each
// rule fires on a violating import and lets the allowed ones through, so a rule that stops
// matching (a moved folder, a resolver that fails quietly) cannot pass unnoticed.

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });
const PATHS = 'import-x/no-restricted-paths';
const TYPES_ONLY = '@typescript-eslint/no-restricted-imports';
const BOUNDARY_RULES = new Set([PATHS, TYPES_ONLY]);

/** The boundary rules that report on `code` as if it were the file at `filePath` (from the repository root). */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result.messages.filter((message) => message.ruleId && BOUNDARY_RULES.has(message.ruleId)).map((message) => message.ruleId!);
}

const refused: [string, string, string, string][] = [
  ['the benchmark imports test code', 'bench/probe.ts', "import { freePort } from '../test/helpers/freePort.js';", PATHS],
  ['the router imports a subgraph', 'router/probe.ts', "import { SUBGRAPH_NAMES } from '../subgraphs/subgraphNames.js';", PATHS],
  ['the router imports the authorization server', 'router/probe.ts', "import { ROUTER_AUDIENCE } from '../auth-server/audiences.js';", PATHS],
  ['a subgraph imports the router', 'subgraphs/probe.ts', "import type { DelegationTrace } from '../router/publishedTypes.js';", PATHS],
  ['lib imports the router', 'lib/probe.ts', "import type { DelegationTrace } from '../router/publishedTypes.js';", PATHS],
  ['lib imports a subgraph', 'lib/probe.ts', "import { SUBGRAPH_NAMES } from '../subgraphs/subgraphNames.js';", PATHS],
  ['lib imports the authorization server', 'lib/probe.ts', "import { ROUTER_AUDIENCE } from '../auth-server/audiences.js';", PATHS],
  ['lib imports test code', 'lib/probe.ts', "import { freePort } from '../test/helpers/freePort.js';", PATHS],
  ['the authorization server imports the router', 'auth-server/probe.ts', "import type { DelegationTrace } from '../router/publishedTypes.js';", PATHS],
  ['the authorization server imports a subgraph', 'auth-server/probe.ts', "import { SUBGRAPH_NAMES } from '../subgraphs/subgraphNames.js';", PATHS],
  ['the subgraph kit imports the router', 'subgraph-kit/probe.ts', "import type { DelegationTrace } from '../router/publishedTypes.js';", PATHS],
  ['the subgraph kit imports a subgraph', 'subgraph-kit/probe.ts', "import { SUBGRAPH_NAMES } from '../subgraphs/subgraphNames.js';", PATHS],
  ['the broker client imports the router', 'broker-client/probe.ts', "import type { DelegationTrace } from '../router/publishedTypes.js';", PATHS],
  ['the registry imports the router', 'registry/probe.ts', "import type { DelegationTrace } from '../router/publishedTypes.js';", PATHS],
  ['the broker client imports a subgraph', 'broker-client/probe.ts', "import { SUBGRAPH_NAMES } from '../subgraphs/subgraphNames.js';", PATHS],
  ['the broker client imports the subgraph kit', 'broker-client/probe.ts', "export * from '../subgraph-kit/rules/rule.js';", PATHS],
  ['the broker client imports test code', 'broker-client/probe.ts', "import { freePort } from '../test/helpers/freePort.js';", PATHS],
  ['the authorization server imports the broker client', 'auth-server/probe.ts', "import { createBrokerClient } from '../broker-client/index.js';", PATHS],
  ['a script imports test code', 'scripts/probe.ts', "import { freePort } from '../test/helpers/freePort.js';", PATHS],
  ['the router imports the benchmark', 'router/probe.ts', "import { markdown } from '../bench/report.js';", PATHS],
  ['the deputy binary imports test code', 'bin/probe.js', "await import('../test/helpers/freePort.js');", PATHS],
  ['the console imports router code beside the published types', 'console/src/probe.ts', "import type { DelegationTrace } from '../../router/trace/delegationTrace.js';", PATHS],
  ['the console imports lib', 'console/src/probe.ts', "import { own } from '../../lib/own.js';", PATHS],
  ['an example imports the subgraph kit deeper than its public entry', 'examples/probe/server.ts', "import { everyone } from '../../subgraph-kit/rules/rule.js';", PATHS],
  ['an example imports the broker client deeper than its public entry', 'examples/probe/server.ts', "import { createBrokerClient } from '../../broker-client/createBrokerClient.js';", PATHS],
  ['an example imports lib', 'examples/probe/server.ts', "import { own } from '../../lib/own.js';", PATHS],
  ['the router imports an example', 'router/probe.ts', "import { start } from '../examples/apollo-subgraph/server.js';", PATHS],
  ['the console imports a value from the published types', 'console/src/probe.ts', "import { DelegationTrace } from '../../router/publishedTypes.js';", TYPES_ONLY],
];

const allowed: [string, string, string][] = [
  ['the router imports lib', 'router/probe.ts', "import { own } from '../lib/own.js';"],
  ['the broker client imports lib', 'broker-client/probe.ts', "import { callersOf } from '../lib/brokerPolicy.js';"],
  ['a subgraph imports the broker client', 'subgraphs/probe.ts', "import { createBrokerClient } from '../broker-client/index.js';"],
  ['a subgraph imports the subgraph kit', 'subgraphs/probe.ts', "export * from '../subgraph-kit/rules/rule.js';"],
  ['a test imports the router and a subgraph', 'test/probe.ts', "import type { DelegationTrace } from '../router/publishedTypes.js';\nimport { SUBGRAPH_NAMES } from '../subgraphs/subgraphNames.js';"],
  ['an example imports the public entries and packages', 'examples/probe/server.ts', "import { protectSchema } from '../../subgraph-kit/index.js';\nimport { createBrokerClient } from '../../broker-client/index.js';\nimport { createYoga } from 'graphql-yoga';"],
  ['the console imports the published types as types', 'console/src/probe.ts', "import type { DelegationTrace } from '../../router/publishedTypes.js';"],
  ['the console imports its own modules and packages', 'console/src/probe.ts', "import { h } from './dom.js';\nimport { EditorView } from '@codemirror/view';"],
];

describe('the boundaries between the parts', () => {
  it.each(refused)('refuses an import when %s', async (_title, filePath, code, rule) => {
    expect(await boundaryErrors(filePath, code)).toContain(rule);
  });

  it.each(allowed)('allows an import when %s', async (_title, filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toEqual([]);
  });

  it('holds in the whole repository as it is', async () => {
    // Only the boundaries here: `npm run lint` checks the rest, cycles included (the slow part).
    const results = await new ESLint({ cwd: root, overrideConfig: { rules: { 'import-x/no-cycle': 'off' } } }).lintFiles(['.']);
    const violations = results.flatMap((result) =>
      result.messages.filter((message) => message.ruleId && BOUNDARY_RULES.has(message.ruleId)).map((message) => `${result.filePath.slice(root.length)}:${message.line} ${message.message}`),
    );
    expect(violations).toEqual([]);
  }, 300_000);
});
