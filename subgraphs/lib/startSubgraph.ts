import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { serveGraphQL, writeGraphQLError } from '../../lib/http/serveGraphQL.js';
import { close, listen } from '../../lib/http/listen.js';

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
  /** Appended to a port-in-use error, e.g. which variable moves the port. */
  portHint?: string;
}

/** Serves a subgraph schema on POST /graphql (and GET /health) with its own HTTP server. */
export async function startSubgraph(options: StartSubgraphOptions): Promise<RunningSubgraph> {
  const apollo = new ApolloServer({
    schema: options.schema,
    introspection: true,
    // Federated tracing to Apollo Studio is not used; building trace trees costs CPU per request.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      res.end('ok');
    } else if (path === '/graphql') {
      serveGraphQL(req, res, { server: apollo, context: async () => ({}) }).catch(() => {
        if (!res.headersSent) writeGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
    } else {
      writeGraphQLError(res, 404, 'NOT_FOUND', `No route ${path}`);
    }
  });
  const port = await listen(server, options.host, options.port, options.portHint);
  return {
    name: options.name,
    port,
    url: `http://${options.host}:${port}/graphql`,
    async stop() {
      await close(server);
      await apollo.stop();
    },
  };
}
