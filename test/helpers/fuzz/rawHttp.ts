import { request, type IncomingHttpHeaders } from 'node:http';

// The fuzz suite's settings, raw HTTP and its property (test/security/fuzzEndpoints): requests
// sent exactly as generated (no normalization), and what counts as handled.

/** DEPUTY_FUZZ_SCALE=10 runs ten times as many inputs (a longer local hunt); CI uses the default. */
export const SCALE = Number(process.env.DEPUTY_FUZZ_SCALE ?? 1);
/** Inputs per property (each subgraph's /graphql is its own property). */
export const BASE_RUNS = { auth: 50, token: 60, interaction: 50, discovery: 40, graphql: 60, graphqlGet: 50, delegate: 50, publish: 40, events: 40, routerStatic: 50, subgraph: 40, subgraphHealth: 40 };
export const RUNS = Object.fromEntries(Object.entries(BASE_RUNS).map(([group, runs]) => [group, Math.round(runs * SCALE)])) as typeof BASE_RUNS;
export const REQUEST_TIMEOUT_MS = 15_000;
export const SEED = process.env.DEPUTY_FUZZ_SEED ? Number(process.env.DEPUTY_FUZZ_SEED) : undefined;
export const FC_OPTIONS = { seed: SEED, endOnFailure: true } as const;
/** 5xx answers that are a stable, documented availability code: acceptable, unlike a crash. */
export const TYPED_UNAVAILABLE = new Set(['DELEGATION_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE', 'PUBLISH_NOT_CONFIGURED', 'temporarily_unavailable', 'TARGET_FAILED']);
/**
 * Typed 5xx that still are failures: the broker's catch-all (`internal`: something threw), and a
 * target's 4xx relayed as a 502 (the caller's malformed operation blamed on the server).
 */
export const CATCH_ALL_REASON = /^(internal|http_4\d\d)$/;
export const REDIRECT_URI = 'http://127.0.0.1:4000/callback';

// ---------------------------------------------------------------------------------------------
// Raw HTTP

export interface FuzzRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request on its own connection, headers sent exactly as given (repeats kept), no normalization. */
export function send(origin: string, fuzz: FuzzRequest): Promise<RawResponse> {
  const { hostname, port, host } = new URL(origin);
  const headers: [string, string][] = [['host', host], ...fuzz.headers];
  if (fuzz.body !== undefined) headers.push(['content-length', String(fuzz.body.length)]);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method: fuzz.method, path: fuzz.path, headers: headers.flat(), agent: false, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(fuzz.body);
  });
}

/** The stable code of an error body: GraphQL `errors[0].extensions.code` or OAuth `error`. */
export function codeOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { extensions?: { code?: unknown } }[]; error?: unknown };
    const code = parsed?.errors?.[0]?.extensions?.code ?? parsed?.error;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** `errors[0].extensions.reason` of a GraphQL-shaped error body. */
export function reasonOf(body: Buffer): string | undefined {
  try {
    const reason = (JSON.parse(body.toString('utf8')) as { errors?: { extensions?: { reason?: unknown } }[] })?.errors?.[0]?.extensions?.reason;
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
}

export function describeRequest(fuzz: FuzzRequest): string {
  const body = fuzz.body === undefined ? '(none)' : fuzz.body.length > 600 ? `${JSON.stringify(fuzz.body.subarray(0, 600).toString('latin1'))}... (${fuzz.body.length} bytes)` : JSON.stringify(fuzz.body.toString('latin1'));
  const clip = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}... (${text.length} chars)` : text);
  return `${fuzz.method} ${clip(fuzz.path)}\n${fuzz.headers.map(([name, value]) => `${name}: ${clip(JSON.stringify(value))}`).join('\n')}\nbody: ${body}`;
}

/** Status (and code) counts per origin and route, printed with DEPUTY_FUZZ_STATS=1 to see how deep the fuzzing gets. */
export const stats = new Map<string, number>();

/** The property: an answer, and no 5xx without a stable availability code. */
export async function expectHandled(origin: string, fuzz: FuzzRequest): Promise<RawResponse> {
  let response: RawResponse;
  try {
    response = await send(origin, fuzz);
  } catch (error) {
    throw new Error(`no answer (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) from ${origin} to:\n${describeRequest(fuzz)}`);
  }
  const detail = process.env.DEPUTY_FUZZ_STATS === 'verbose' ? ` ${response.body.toString('utf8').slice(0, 160)}` : '';
  const key = `${origin} ${fuzz.method} ${fuzz.path.split('?')[0].slice(0, 40)} -> ${response.status} ${codeOf(response.body) ?? ''}${detail}`;
  stats.set(key, (stats.get(key) ?? 0) + 1);
  if (response.status >= 500) {
    const code = codeOf(response.body);
    if (!code || !TYPED_UNAVAILABLE.has(code) || CATCH_ALL_REASON.test(reasonOf(response.body) ?? '')) {
      throw new Error(`${response.status} ${code ?? '(untyped)'} from ${origin}: ${response.body.toString('utf8').slice(0, 300)}\nfor:\n${describeRequest(fuzz)}`);
    }
  }
  return response;
}

