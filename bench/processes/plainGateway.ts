// The baselines: a plain @apollo/gateway + @apollo/server, as a team would run it.
//   BENCH_GATEWAY=floor       no auth anywhere;
//   BENCH_GATEWAY=forwarding  the caller's Authorization header forwarded to every subgraph;
//   BENCH_GATEWAY=naive       one RFC 8693 exchange per subgraph fetch: no cache, no coalescing.
// Env: BENCH_SUPERGRAPH (file), BENCH_URLS (JSON name -> url), BENCH_TOKEN_ENDPOINT and
// BENCH_CLIENT_SECRET (naive only). Prints "ready <url>".
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { serveGraphQL } from '../../lib/http/serveGraphQL.js';
import { stopOnSignalOrParentExit } from '../../lib/stopOnSignalOrParentExit.js';
import { listenAndAnnounce } from './announce.js';
import { disableGatewayTelemetry, noReportingPlugins } from '../../lib/apollo/noPhoningHome.js';

type Context = { authorization?: string };
const mode = process.env.BENCH_GATEWAY ?? 'floor';
const urls = JSON.parse(process.env.BENCH_URLS ?? '{}') as Record<string, string>;

class ForwardingDataSource extends RemoteGraphQLDataSource<Context> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>) {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}

/** What a team writes first: exchange on every fetch, nothing shared. */
class NaiveExchangeDataSource extends RemoteGraphQLDataSource<Context> {
  constructor(private readonly audience: string, url: string) {
    super({ url });
  }
  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>) {
    const response = await fetch(process.env.BENCH_TOKEN_ENDPOINT!, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`deputy-router:${process.env.BENCH_CLIENT_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: (context.authorization ?? '').replace(/^Bearer /, ''),
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        audience: this.audience,
        scope: `${this.audience}:read`,
      }),
    });
    const body = (await response.json()) as { access_token?: string };
    request.http?.headers.set('authorization', `Bearer ${body.access_token}`);
  }
}

// The floor runs offline like the router: no vendor telemetry.
disableGatewayTelemetry();
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH ?? 'schema/supergraph.graphql', 'utf8'),
  buildService: ({ name, url }) => {
    const target = urls[name] ?? url!;
    if (mode === 'forwarding') return new ForwardingDataSource({ url: target });
    if (mode === 'naive') return new NaiveExchangeDataSource(name, target);
    return new RemoteGraphQLDataSource({ url: target });
  },
});
const apollo = new ApolloServer<Context>({ gateway, plugins: [ApolloServerPluginLandingPageDisabled(), ...noReportingPlugins<Context>()] });
await apollo.start();
const server = createServer((req, res) => {
  void serveGraphQL(req, res, { server: apollo, context: async () => ({ authorization: req.headers.authorization }) });
});
await listenAndAnnounce(server);
stopOnSignalOrParentExit(async () => {
  server.close();
  await apollo.stop();
});
