// One process serving the four demo subgraphs for the benchmark, with one kind of auth:
//   BENCH_AUTH=off      no token checks (the floor and the peer);
//   BENCH_AUTH=router   each subgraph accepts the user's router token (forwarding);
//   BENCH_AUTH=own      each subgraph accepts only a token for its own audience (delegation).
// Prints one JSON line with the subgraph URLs and a control URL whose /count is the number of
// subgraph HTTP requests served so far.
import { createServer } from 'node:http';
import { SUBGRAPH_NAMES } from '../../subgraphs/subgraphNames.js';
import { buildSubgraph } from '../../subgraphs/buildSubgraph.js';
import { startSubgraph } from '../../subgraphs/lib/startSubgraph.js';
import { createTokenVerifier } from '../../subgraph-kit/index.js';
import { remoteKeys } from '../../lib/verifyAccessToken.js';
import { stopOnSignalOrParentExit } from '../../lib/stopOnSignalOrParentExit.js';

const mode = process.env.BENCH_AUTH ?? 'off';
const issuer = process.env.DEPUTY_ISSUER ?? '';
let served = 0;
const keys = mode === 'off' ? undefined : remoteKeys(`${issuer}/jwks`);
const subgraphs = await Promise.all(
  SUBGRAPH_NAMES.map((name) =>
    startSubgraph({
      name,
      schema: buildSubgraph(name).schema,
      host: '127.0.0.1',
      port: 0,
      observe: () => (served += 1),
      verifier: keys
        ? createTokenVerifier({
            issuer,
            audience: mode === 'router' ? 'deputy-router' : name,
            keys,
            // The forwarding baseline receives the user's own token (no act): a comparison only, never a subgraph's policy.
            acceptance: mode === 'router' ? false : { actors: ['deputy-router'], servicesAsThemselves: [] },
          })
        : undefined,
    }),
  ),
);
const control = createServer((_req, res) => res.end(String(served)));
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const address = control.address();
console.log(JSON.stringify({ urls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])), control: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` }));
stopOnSignalOrParentExit(async () => {
  control.close();
  await Promise.all(subgraphs.map((s) => s.stop()));
});
