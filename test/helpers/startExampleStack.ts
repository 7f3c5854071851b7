import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAuth, ALL_SCOPES, type TestAuth } from './startAuth.js';
import { startStack, type TestStack } from './startStack.js';
import { postGraphQL } from './graphql.js';
import { withAudiences } from '../../auth-server/withAudiences.js';
import { readRoverConfig } from '../../registry/compose/readRoverConfig.js';
import { composeSupergraph, formatProblems, readSubgraphSources } from '../../registry/compose/composeSupergraph.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';

/** A subgraph from examples/: its name (= audience), scopes, SDL file and how it starts. */
export interface ExampleSubgraph {
  name: string;
  scopes: string[];
  sdlFile: URL;
  start(options: { issuer: string; port: number }): Promise<{ url: string; stop(): Promise<void> }>;
  /** The scopes of it each demo user may delegate. */
  entitlements: Record<string, string[]>;
}

export interface ExampleStack {
  stack: TestStack;
  /** A user token for the router holding every scope the user may delegate, the example's included. */
  userToken(user: string): Promise<string>;
  /** POSTs a query to the router as `token`, asking for the delegation trace. */
  ask(token: string, query: string): Promise<ExampleResponse>;
  stop(): Promise<void>;
}

export interface ExampleResponse {
  data?: Record<string, unknown>;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: { delegationTrace?: DelegationTrace };
}

/**
 * The demo stack with one example subgraph: the authorization server with the example's
 * audience registered, the example on a free port, the supergraph composed from the demo SDLs
 * and the example's, and the router routing to all five.
 */
export async function startExampleStack(example: ExampleSubgraph): Promise<ExampleStack> {
  const audience = { audience: example.name, resources: [`urn:deputy:subgraph:${example.name}`], scopes: example.scopes };
  const auth: TestAuth = await startAuth((defaults) => withAudiences(defaults, [audience], example.entitlements));
  const dir = mkdtempSync(join(tmpdir(), 'deputy-example-'));
  let served: { url: string; stop(): Promise<void> } | undefined;
  let stack: TestStack;
  try {
    served = await example.start({ issuer: auth.issuer, port: 0 });
    const sources = [
      ...readSubgraphSources(readRoverConfig('rover.yaml').subgraphs),
      { name: example.name, routingUrl: served.url, sdl: readFileSync(example.sdlFile, 'utf8'), sourceName: example.sdlFile.pathname },
    ];
    const outcome = composeSupergraph(sources);
    if (!outcome.ok) throw new Error(formatProblems(outcome.problems));
    const supergraphFile = join(dir, 'supergraph.graphql');
    writeFileSync(supergraphFile, outcome.supergraphSdl);
    const url = served.url;
    stack = await startStack({
      auth,
      dataset: 'demo',
      routerConfig: (raw) => ({
        ...raw,
        supergraph: { file: supergraphFile, watch: false },
        subgraphs: { ...raw.subgraphs, [example.name]: { url, scopes: example.scopes } },
      }),
    });
  } catch (error) {
    // Nothing started here outlives a failed start.
    await served?.stop();
    await auth.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const running = served;
  return {
    stack,
    userToken: (user) => auth.userToken(user, `${ALL_SCOPES} ${example.scopes.join(' ')}`),
    async ask(token, query) {
      return (await postGraphQL(stack.router.url, { query }, { authorization: `Bearer ${token}`, 'x-delegation-trace': '1' })).json() as ExampleResponse;
    },
    async stop() {
      await stack.stop();
      await running.stop();
      await auth.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
