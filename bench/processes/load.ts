// The load generator, in its own process: autocannon against one URL. Reads a JSON job from
// the file argv[2]: { url, seconds, connections, body, tokens: string[], headers?: {} }. With
// several tokens, each request carries the next one (a different user per request).
// Prints autocannon's summary as JSON.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface Job {
  url: string;
  seconds: number;
  connections: number;
  body: string;
  tokens: string[];
  headers?: Record<string, string>;
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Job;
let next = 0;
const headersFor = () => ({
  'content-type': 'application/json',
  ...(job.tokens.length > 0 ? { authorization: `Bearer ${job.tokens[next++ % job.tokens.length]}` } : {}),
  ...job.headers,
});
const result = await autocannon({
  url: job.url,
  method: 'POST',
  connections: job.connections,
  duration: job.seconds,
  body: job.body,
  headers: headersFor(),
  requests: [{ setupRequest: (request) => ({ ...request, headers: headersFor() }) }],
});
console.log(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    // autocannon reports p90 and p97.5, not p95: both are kept, named as they are.
    p50: result.latency.p50,
    p90: result.latency.p90,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }),
);
