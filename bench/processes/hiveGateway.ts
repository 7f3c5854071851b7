// The peer: Hive Gateway's runtime (@graphql-hive/gateway-runtime, a dev dependency used only
// here) serving the same supergraph, no auth. Response caching and inbound in-flight
// deduplication are opt-in and stay off. Upstream in-flight deduplication (identical subgraph
// requests of concurrent queries share one call) is on by default: BENCH_HIVE_DEDUP=off turns
// it off so the peer does the same work per request as the others; the bench reports both.
// Env: BENCH_SUPERGRAPH (file), BENCH_URLS (JSON name -> url). Prints "ready <url>".
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { stopOnSignalOrParentExit } from '../../lib/stopOnSignalOrParentExit.js';
import { listenAndAnnounce } from './announce.js';

const urls = JSON.parse(process.env.BENCH_URLS ?? '{}') as Record<string, string>;
let supergraph = readFileSync(process.env.BENCH_SUPERGRAPH ?? 'schema/supergraph.graphql', 'utf8');
for (const [name, url] of Object.entries(urls)) {
  supergraph = supergraph.replace(new RegExp(`(join__graph\\(name: "${name}", url: ")[^"]*"`), `$1${url}"`);
}
const dedupe = process.env.BENCH_HIVE_DEDUP !== 'off';
const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  inboundInflightRequestDeduplication: false,
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: dedupe } } },
});
const server = createServer(gateway);
await listenAndAnnounce(server);
stopOnSignalOrParentExit(async () => {
  server.close();
  await gateway.dispose();
});
