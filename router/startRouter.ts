import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { serveGraphQL, writeGraphQLError } from '../lib/http/serveGraphQL.js';
import { close, listen } from '../lib/http/listen.js';
import { createGateway } from './createGateway.js';

export interface RouterOptions {
  host: string;
  port: number;
  /** Path of the composed supergraph SDL. */
  supergraphPath: string;
  subgraphUrls?: Record<string, string>;
  /** Appended to a port-in-use error, e.g. which variable moves the port. */
  portHint?: string;
}

/** A router listening over HTTP. */
export interface RunningRouter {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts the router: loads the supergraph, then serves POST /graphql and GET /health. */
export async function startRouter(options: RouterOptions): Promise<RunningRouter> {
  const gateway = createGateway({
    supergraphSdl: readFileSync(options.supergraphPath, 'utf8'),
    subgraphUrls: options.subgraphUrls,
  });
  const apollo = new ApolloServer({ gateway, plugins: [ApolloServerPluginLandingPageDisabled()] });
  let supergraphLoaded = false;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      res.statusCode = supergraphLoaded ? 200 : 503;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: supergraphLoaded ? 'ok' : 'loading' }));
    } else if (path === '/graphql') {
      serveGraphQL(req, res, { server: apollo, context: async () => ({}) }).catch(() => {
        if (!res.headersSent) writeGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
    } else {
      writeGraphQLError(res, 404, 'NOT_FOUND', `No route ${path}`);
    }
  });
  const port = await listen(server, options.host, options.port, options.portHint);
  try {
    await apollo.start();
  } catch (error) {
    await close(server);
    throw error;
  }
  supergraphLoaded = true;
  return {
    port,
    url: `http://${options.host}:${port}/graphql`,
    async stop() {
      await close(server);
      await apollo.stop();
    },
  };
}
