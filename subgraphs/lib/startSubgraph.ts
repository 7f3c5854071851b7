import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { serveGraphQL } from '../../lib/http/serveGraphQL.js';
import { noReportingPlugins } from '../../lib/apollo/noPhoningHome.js';
import { createRoutedServer, healthRoute } from '../../lib/http/createRoutedServer.js';
import { close, listen } from '../../lib/http/listen.js';
import { bearerToken } from '../../lib/http/bearerToken.js';
import type { SubgraphContext } from './subgraphContext.js';
import { DecisionLog, InvalidTokenError, deputyApolloPlugin, deputyRequestContext, unauthenticated, type SecurityEventReceiver, type TokenVerifier } from '../../subgraph-kit/index.js';

/** A subgraph listening over HTTP. */
export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartSubgraphOptions {
  name: string;
  schema: GraphQLSchema;
  host: string;
  port: number;
  /** Verifies each request's token (the kit's createTokenVerifier); without it the subgraph is open (the benchmark's floor). */
  verifier?: TokenVerifier;
  /** Receives the issuer's security events at POST /events (the kit verifier's `events`), so that revoked tokens are refused. */
  events?: SecurityEventReceiver;
  /** Called with every GraphQL request before anything else (tests record what arrived). */
  observe?: (req: IncomingMessage) => void;
  /** Appended to a port-in-use error, e.g. which variable moves the port. */
  portHint?: string;
}

/** Serves a subgraph schema on POST /graphql (and GET /health, and POST /events with a receiver) with its own HTTP server. */
export async function startSubgraph(options: StartSubgraphOptions): Promise<RunningSubgraph> {
  const apollo = new ApolloServer<SubgraphContext>({
    schema: options.schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The process stops its server itself on SIGTERM (stopOnSignalOrParentExit), after in-flight requests.
    stopOnTerminationSignals: false,
    // Federated tracing to Apollo Studio is not used; building trace trees costs CPU per request.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ...noReportingPlugins<SubgraphContext>(),
      // Reports decisions; the caller is verified before Apollo runs (below), so the plugin never verifies again.
      ...(options.verifier ? [deputyApolloPlugin<SubgraphContext>({ subgraph: options.name, verifier: options.verifier })] : []),
    ],
  });
  await apollo.start();
  const server = createRoutedServer({
    '/health': healthRoute,
    ...(options.events ? { '/events': options.events.node } : {}),
    '/graphql': async (req, res) => {
      options.observe?.(req);
      const traceparent = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined;
      let context: SubgraphContext = { decisions: new DecisionLog(), open: true, traceparent };
      if (options.verifier) {
        try {
          context = { ...(await deputyRequestContext(options.verifier, req.headersDistinct.authorization)), token: bearerToken(req), traceparent };
        } catch (error) {
          if (!(error instanceof InvalidTokenError)) throw error;
          // A missing or invalid token fails the whole request (RFC 6750 §3).
          const refusal = unauthenticated(error);
          res.writeHead(refusal.status, refusal.headers).end(JSON.stringify(refusal.body));
          return;
        }
      }
      await serveGraphQL(req, res, { server: apollo, context: async () => context });
    },
  });
  const port = await listen(server, options.host, options.port, options.portHint);
  return {
    name: options.name,
    port,
    url: `http://${options.host}:${port}/graphql`,
    stop: once(async () => {
      await close(server);
      await apollo.stop();
    }),
  };
}

/** Runs `fn` the first time only; later calls get the same promise (stop is idempotent). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
