import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { serveGraphQL, writeUnauthenticated } from '../../lib/http/serveGraphQL.js';
import { noReportingPlugins } from '../../lib/apollo/noPhoningHome.js';
import { createRoutedServer, healthRoute } from '../../lib/http/createRoutedServer.js';
import { close, listen } from '../../lib/http/listen.js';
import { bearerToken } from '../../lib/http/bearerToken.js';
import { InvalidTokenError } from '../../lib/verifyAccessToken.js';
import type { SubgraphContext } from './subgraphContext.js';
import { DecisionLog } from '../../subgraph-kit/rules/decisionLog.js';
import { reportDecisions } from './reportDecisions.js';
import type { RequestAuthenticator } from './authenticateRequest.js';


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
  /** Verifies each request's token; without it the subgraph is open (the benchmark's floor). */
  authenticate?: RequestAuthenticator;
  /** Called with every GraphQL request before anything else (tests record what arrived). */
  observe?: (req: IncomingMessage) => void;
  /** Appended to a port-in-use error, e.g. which variable moves the port. */
  portHint?: string;
}

/** Serves a subgraph schema on POST /graphql (and GET /health) with its own HTTP server. */
export async function startSubgraph(options: StartSubgraphOptions): Promise<RunningSubgraph> {
  const apollo = new ApolloServer<SubgraphContext>({
    schema: options.schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The process stops its server itself on SIGTERM (stopOnSignalOrParentExit), after in-flight requests.
    stopOnTerminationSignals: false,
    // Federated tracing to Apollo Studio is not used; building trace trees costs CPU per request.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...noReportingPlugins<SubgraphContext>(), reportDecisions(options.name)],
  });
  await apollo.start();
  const server = createRoutedServer({
    '/health': healthRoute,
    '/graphql': async (req, res) => {
      options.observe?.(req);
      const traceparent = req.headers.traceparent;
      const context: SubgraphContext = { decisions: new DecisionLog(), open: !options.authenticate, traceparent: typeof traceparent === 'string' ? traceparent : undefined };
      if (options.authenticate) {
        try {
          context.auth = await options.authenticate(req);
          context.token = bearerToken(req);
          // RFC 8693 §4.1: only the outermost actor counts for policy; nested ones are history.
          context.actor = context.auth.act?.sub;
        } catch (error) {
          if (!(error instanceof InvalidTokenError)) throw error;
          // A missing or invalid token fails the whole request (RFC 6750 §3).
          writeUnauthenticated(res, error);
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
