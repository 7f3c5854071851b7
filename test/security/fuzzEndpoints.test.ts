import { createHash } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { startAuth, ALL_SCOPES, TOKEN_EXCHANGE, ACCESS_TOKEN_TYPE, type TestAuth } from '../helpers/startAuth.js';
import { routerDelegation, serviceToken } from '../helpers/delegatedTokens.js';
import { BENCHMARK_QUERY } from '../helpers/graphql.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/subgraphNames.js';

// Property-based fuzzing of every HTTP endpoint of every part (authorization server, router,
// four subgraphs), over real loopback HTTP with raw node:http requests: broken Authorization,
// Cookie, Content-Type and Content-Encoding headers, broken bodies and query strings. The
// property: every request gets an answer (no reset, no hang, no response a client cannot parse),
// and never a 5xx unless it carries a stable availability code (server_error,
// INTERNAL_SERVER_ERROR and the broker's `internal` catch-all are crashes, not codes).
// After each property every part still answers, nothing polluted Object.prototype, and the
// process saw no uncaught exception or unhandled rejection.
//
// Runs are bounded (RUNS per group); the seed is random unless DEPUTY_FUZZ_SEED is set, and a
// failure prints the seed and the request to replay it. DEPUTY_FUZZ_STATS=1 (or verbose) prints
// the statuses and codes seen per route, to check how deep the inputs get.

/** DEPUTY_FUZZ_SCALE=10 runs ten times as many inputs (a longer local hunt); CI uses the default. */
const SCALE = Number(process.env.DEPUTY_FUZZ_SCALE ?? 1);
/** Inputs per property (each subgraph's /graphql is its own property). */
const BASE_RUNS = { auth: 50, token: 60, interaction: 50, discovery: 40, graphql: 60, graphqlGet: 50, delegate: 50, publish: 40, routerStatic: 50, subgraph: 40, subgraphHealth: 40 };
const RUNS = Object.fromEntries(Object.entries(BASE_RUNS).map(([group, runs]) => [group, Math.round(runs * SCALE)])) as typeof BASE_RUNS;
const REQUEST_TIMEOUT_MS = 15_000;
const SEED = process.env.DEPUTY_FUZZ_SEED ? Number(process.env.DEPUTY_FUZZ_SEED) : undefined;
const FC_OPTIONS = { seed: SEED, endOnFailure: true } as const;
/** 5xx answers that are a stable, documented availability code: acceptable, unlike a crash. */
const TYPED_UNAVAILABLE = new Set(['DELEGATION_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE', 'PUBLISH_NOT_CONFIGURED', 'temporarily_unavailable', 'TARGET_FAILED']);
/**
 * Typed 5xx that still are failures: the broker's catch-all (`internal`: something threw), and a
 * target's 4xx relayed as a 502 (the caller's malformed operation blamed on the server).
 */
const CATCH_ALL_REASON = /^(internal|http_4\d\d)$/;
const REDIRECT_URI = 'http://127.0.0.1:4000/callback';

// ---------------------------------------------------------------------------------------------
// Raw HTTP

interface FuzzRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body?: Buffer;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request on its own connection, headers sent exactly as given (repeats kept), no normalization. */
function send(origin: string, fuzz: FuzzRequest): Promise<RawResponse> {
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
function codeOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { extensions?: { code?: unknown } }[]; error?: unknown };
    const code = parsed?.errors?.[0]?.extensions?.code ?? parsed?.error;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** `errors[0].extensions.reason` of a GraphQL-shaped error body. */
function reasonOf(body: Buffer): string | undefined {
  try {
    const reason = (JSON.parse(body.toString('utf8')) as { errors?: { extensions?: { reason?: unknown } }[] })?.errors?.[0]?.extensions?.reason;
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
}

function describeRequest(fuzz: FuzzRequest): string {
  const body = fuzz.body === undefined ? '(none)' : fuzz.body.length > 600 ? `${JSON.stringify(fuzz.body.subarray(0, 600).toString('latin1'))}... (${fuzz.body.length} bytes)` : JSON.stringify(fuzz.body.toString('latin1'));
  const clip = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}... (${text.length} chars)` : text);
  return `${fuzz.method} ${clip(fuzz.path)}\n${fuzz.headers.map(([name, value]) => `${name}: ${clip(JSON.stringify(value))}`).join('\n')}\nbody: ${body}`;
}

/** Status (and code) counts per origin and route, printed with DEPUTY_FUZZ_STATS=1 to see how deep the fuzzing gets. */
const stats = new Map<string, number>();

/** The property: an answer, and no 5xx without a stable availability code. */
async function expectHandled(origin: string, fuzz: FuzzRequest): Promise<RawResponse> {
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

// ---------------------------------------------------------------------------------------------
// Generators

/** Bytes as a header- or path-safe string: each byte one latin1 char (so non-UTF-8 bytes go out as they are). */
const asLatin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
/** Node refuses to send control characters in header values; everything else (0x80-0xff too) goes out raw. */
const headerSafe = (text: string) => asLatin1(text).replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');
/** encodeURIComponent of the UTF-8 bytes: a lone surrogate goes out as U+FFFD instead of throwing here. */
const encode = (value: string) => encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));
/** A request target may hold any byte from 0x21 to 0xff; spaces and controls are percent-encoded. */
const pathSafe = (text: string) => asLatin1(text).replace(/[\x00-\x20\x7f]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`);

const PERCENT_GARBAGE = ['%', '%%', '%zz', '%E0%A4%A', '%E0%A4', '%C0%AF', '%00', '%FF%FE', '%u0041', '%2', '%%32%65', '%ED%A0%80', '%F4%90%80%80', '%0a%0d'];
const PROTO_WORDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const PUNCTUATION = [':', '::', '=', '==', '===', '.', '..', ' ', '\t', '+', '/', '-', '_', ';', ',', '"', "'", '\\', '{', '}', '[', ']', '\u00ff', '\u0080'];

const latin1Char = fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f).map((code) => String.fromCharCode(code));
/** Bytes 0x20-0xff, many of them not valid UTF-8. */
const latin1Text = (maxLength: number) => fc.string({ unit: latin1Char, maxLength });
const piece = fc.oneof(
  fc.constantFrom(...PERCENT_GARBAGE, ...PUNCTUATION, ...PROTO_WORDS),
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  latin1Text(16),
  fc.base64String({ maxLength: 32 }),
);
/** Short garbage, as a Unicode string (callers encode it for where it goes). */
const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
/** Garbage repeated up to a few KB. */
const longText = fc.tuple(text, fc.integer({ min: 256, max: 6144 })).map(([seed, length]) => (seed || 'A').repeat(Math.ceil(length / Math.max(1, seed.length))).slice(0, length));
const anyText = fc.oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: longText });

/** Base64 whose padding is broken in one of several ways. */
const brokenBase64 = (inner: fc.Arbitrary<string>) =>
  fc.tuple(inner, fc.constantFrom('as-is', 'strip', 'extra', 'middle', 'url', 'space', 'truncate')).map(([value, how]) => {
    const b64 = Buffer.from(value, 'utf8').toString('base64');
    switch (how) {
      case 'strip':
        return b64.replace(/=+$/, '');
      case 'extra':
        return `${b64}===`;
      case 'middle':
        return `${b64.slice(0, 3)}=${b64.slice(3)}`;
      case 'url':
        return Buffer.from(value, 'utf8').toString('base64url');
      case 'space':
        return `${b64.slice(0, 4)} ${b64.slice(4)}`;
      case 'truncate':
        return b64.slice(0, Math.max(0, b64.length - 1));
      default:
        return b64;
    }
  });

const jsonGarbage = fc.jsonValue({ maxDepth: 3 });

/** Real tokens of this run (filled in beforeAll), so fuzzing also reaches past authentication. */
interface RealTokens {
  user: string;
  subgraph: Record<string, string>;
  service: string;
  team: string;
  basicRouter: string;
  /** `Basic ...` values of real confidential clients (router, a service, a team). */
  basic: string[];
}

function authorizationValue(tokens: RealTokens, real: string[]) {
  const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'basic', 'DPoP', 'dpop', 'Digest', 'Negotiate', 'Bearer ', '', 'Bearer\t', 'Basic  ', 'Bearer,');
  const basicCredentials = brokenBase64(fc.tuple(fc.oneof(text, fc.constantFrom('deputy-router', 'web-app', 'accounts-service')), text).map(([user, secret]) => `${user}:${secret}`));
  const jwtSegment = fc.oneof(brokenBase64(jsonGarbage.map((value) => JSON.stringify(value))), fc.base64String({ maxLength: 40 }), text);
  const jwtLike = fc.tuple(jwtSegment, jwtSegment, jwtSegment, fc.constantFrom('', '.', '..x')).map(([a, b, c, tail]) => `${a}.${b}.${c}${tail}`);
  const mangledReal = fc.tuple(fc.constantFrom(...real), fc.nat(), fc.constantFrom('truncate', 'append', 'flip', 'as-is', 'double')).map(([token, at, how]) => {
    const i = at % token.length;
    if (how === 'truncate') return token.slice(0, i);
    if (how === 'append') return `${token}${'.x=%'.slice(0, (at % 4) + 1)}`;
    if (how === 'flip') return `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
    if (how === 'double') return `${token} ${token}`;
    return token;
  });
  const credentials = fc.oneof(basicCredentials, jwtLike, mangledReal, fc.constantFrom(...real), anyText, latin1Text(64), fc.constantFrom('', ' ', '=', '====', tokens.basicRouter));
  const mangledBasic = fc.tuple(fc.constantFrom(...tokens.basic), fc.nat()).map(([value, at]) => value.slice(0, 6 + (at % (value.length - 6))));
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.tuple(scheme, fc.constantFrom(' ', '  ', '', '\t'), credentials).map(([s, sep, value]) => `${s}${sep}${value}`) },
      { weight: 1, arbitrary: anyText },
      { weight: 1, arbitrary: mangledBasic },
    )
    .map(headerSafe);
}

const COOKIE_NAMES = ['_interaction', '_interaction.sig', '_interaction_resume', '_interaction_resume.sig', '_session', '_session.sig', '_session.legacy', '_session.legacy.sig', '_grant', ''];
const cookiePair = fc
  .tuple(fc.oneof(fc.constantFrom(...COOKIE_NAMES, ...PROTO_WORDS), text), fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: fc.constantFrom('', '""', '"unterminated', '=', 'a=b=c', ...PERCENT_GARBAGE) }, { weight: 1, arbitrary: longText }))
  .map(([name, value]) => `${name}=${value}`);
const cookieHeader = fc
  .oneof(
    { weight: 5, arbitrary: fc.array(cookiePair, { maxLength: 60 }).map((pairs) => pairs.join('; ')) },
    { weight: 1, arbitrary: fc.constantFrom(';', ';;;', '=', '==', ' ', 'a', '; ; =;', '_interaction', '_interaction=', '_session=;_session=;_session=') },
    { weight: 1, arbitrary: anyText },
  )
  .map(headerSafe);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=bogus',
  'application/json; charset=',
  'application/json;;;',
  'text/plain',
  'text/plain; charset=utf-8',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-16',
  'application/x-www-form-urlencoded; charset=bogus',
  'application/graphql',
  'application/graphql-response+json',
  '*/*',
  ';',
  '',
  'application/',
  '/json',
];
const contentType = (preferred: string) => fc.option(fc.oneof({ weight: 3, arbitrary: fc.constant(preferred) }, { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: text.map(headerSafe) }), { nil: undefined, freq: 5 });
const contentEncoding = fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'gzip, deflate', 'identity', 'zstd', 'x-gzip', 'compress', 'gzip, gzip', ' ', ''), { nil: undefined, freq: 2 });

const extraHeader = fc.oneof(
  fc.tuple(fc.constant('traceparent'), fc.oneof(fc.constant('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'), fc.constant('00-00000000000000000000000000000000-0000000000000000-00'), text)),
  fc.tuple(fc.constant('x-delegation-trace'), fc.constantFrom('1', '0', 'true', '11', '')),
  fc.tuple(fc.constantFrom('accept', 'accept-language', 'accept-encoding', 'origin', 'referer', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded', 'dpop', 'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name', 'if-none-match'), text),
  fc.tuple(fc.constantFrom(...PROTO_WORDS), text),
);

interface HeaderOptions {
  tokens: RealTokens;
  real: string[];
  contentType?: string;
  /** Some of the time, one real Authorization header (to reach past authentication). */
  realAuthorization?: string[];
  /** How often a real Authorization header is sent, against 4 for fuzzed ones; default 3. */
  realWeight?: number;
}

function headerList(options: HeaderOptions): fc.Arbitrary<[string, string][]> {
  const fuzzed = fc.array(authorizationValue(options.tokens, options.real), { maxLength: 2 });
  const authorization = options.realAuthorization?.length ? fc.oneof({ weight: options.realWeight ?? 3, arbitrary: fc.constantFrom(...options.realAuthorization).map((value) => [value]) }, { weight: 4, arbitrary: fuzzed }) : fuzzed;
  return fc
    .record({
      authorization,
      cookie: fc.option(cookieHeader, { nil: undefined, freq: 3 }),
      contentType: options.contentType === undefined ? fc.constant(undefined) : contentType(options.contentType),
      contentEncoding,
      extra: fc.array(extraHeader, { maxLength: 3 }),
    })
    .map(({ authorization, cookie, contentType, contentEncoding, extra }) => {
      const headers: [string, string][] = authorization.map((value) => ['authorization', value]);
      if (cookie !== undefined) headers.push(['cookie', cookie]);
      if (contentType !== undefined) headers.push(['content-type', contentType]);
      if (contentEncoding !== undefined) headers.push(['content-encoding', contentEncoding]);
      for (const [name, value] of extra) headers.push([name, headerSafe(value)]);
      return headers;
    });
}

/** Deep nesting: `[[[[...` (closed or not), also inside a GraphQL-shaped body. */
const deepNesting = fc.tuple(fc.constantFrom(64, 1_000, 10_000, 100_000, 300_000), fc.constantFrom('[', '{"a":', '[{"a":'), fc.boolean()).map(([depth, open, closed]) => {
  const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
  return `${open.repeat(depth)}${closed ? `1${close.repeat(depth)}` : ''}`;
});
const PROTO_BODIES = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"query":"{ __typename }","__proto__":{"query":"{ me { id } }","polluted":"yes"}}',
  '{"query":"{ __typename }","variables":{"__proto__":{"polluted":"yes"}},"extensions":{"__proto__":{"polluted":"yes"}}}',
  '{"query":"{ __typename }","extensions":{"constructor":{"prototype":{"polluted":"yes"}}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
];
const truncatedJson = fc.tuple(jsonGarbage.map((value) => JSON.stringify(value)), fc.nat()).map(([json, at]) => json.slice(0, at % Math.max(1, json.length)));
const binaryBody = fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes));

/** Bodies any endpoint may get, as bytes. */
const genericBody = fc.oneof(
  truncatedJson.map((value) => Buffer.from(value)),
  deepNesting.map((value) => Buffer.from(value)),
  fc.constantFrom(...PROTO_BODIES).map((value) => Buffer.from(value)),
  fc.integer({ min: 1_000, max: 300_000 }).map((length) => Buffer.from(JSON.stringify({ query: 'a'.repeat(length) }))),
  binaryBody,
  anyText.map((value) => Buffer.from(value)),
  latin1Text(256).map((value) => Buffer.from(value, 'latin1')),
  jsonGarbage.map((value) => Buffer.from(JSON.stringify(value))),
  fc.constantFrom('', 'null', 'true', '0', '""', '[]', '{}', '[null]', '{"query":null}', '\ufeff{}', '{"a":1}garbage').map((value) => Buffer.from(value)),
);

const GRAPHQL_WORDS = ['{', '}', '(', ')', '...', 'fragment', 'on', 'query', 'mutation', 'subscription', '$a', ':', '@include(if: $x)', '@skip', '__typename', '__schema', '__type(name: "User")', 'users', 'me', 'topProducts', 'reviews', 'id', '"', '"""', '#', '1e999', '0x', '[', ']', '=', '!', '&', '|', 'Int', 'ID!'];
const graphqlNoise = fc.array(fc.oneof(fc.constantFrom(...GRAPHQL_WORDS), text), { maxLength: 40 }).map((words) => words.join(' '));
const VALID_QUERIES = [
  '{ __typename }',
  BENCHMARK_QUERY,
  '{ me { id name } }',
  'query ($id: ID!) { user(id: $id) { id name reviews { body } } }',
  'query ($first: Int) { topProducts(first: $first) { upc name price inStock } }',
  'mutation ($upc: String!, $body: String!) { addReview(upc: $upc, body: $body) { id } }',
  'mutation ($upc: String!, $inStock: Boolean!) { setStock(upc: $upc, inStock: $inStock) { upc } }',
  '{ __schema { types { name } } }',
  'query A { __typename } query B { __typename }',
  'subscription { __typename }',
  'fragment F on Query { ...F } { ...F }',
  `{ ${'a: __typename '.repeat(40)} }`,
  `{ ${'__typename '.repeat(6000)} }`,
  `${'{ users { reviews { product { reviews { author '.repeat(4)}{ id }${' } } } }'.repeat(4)} }`,
  '{ _service { sdl } }',
  'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
];
const queryText = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VALID_QUERIES) }, { weight: 2, arbitrary: graphqlNoise }, { weight: 1, arbitrary: anyText });
const variablesValue = fc.oneof(
  jsonGarbage,
  fc.record({ id: fc.oneof(fc.constantFrom('1', 'alice', '__proto__', 'constructor'), jsonGarbage), first: fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 2 ** 31, 1e308, -0), jsonGarbage), upc: fc.oneof(fc.constantFrom('1', '__proto__'), text), body: anyText, inStock: jsonGarbage }, { requiredKeys: [] }),
  fc.record({ r: fc.array(fc.dictionary(fc.oneof(fc.constantFrom('__typename', 'id', 'upc', ...PROTO_WORDS), text), jsonGarbage, { maxKeys: 3 }), { maxLength: 3 }) }),
);
const graphqlRequest = fc.record(
  {
    query: fc.oneof({ weight: 5, arbitrary: queryText }, { weight: 1, arbitrary: jsonGarbage }),
    variables: fc.oneof({ weight: 4, arbitrary: variablesValue }, { weight: 1, arbitrary: fc.string().map((value) => value as unknown) }),
    operationName: fc.oneof(fc.constantFrom('TestQuery', 'A', 'B', ...PROTO_WORDS), jsonGarbage),
    extensions: fc.oneof(jsonGarbage, fc.record({ persistedQuery: fc.record({ version: fc.oneof(fc.constant(1), jsonGarbage), sha256Hash: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), jsonGarbage) }, { requiredKeys: [] }) })),
  },
  { requiredKeys: [] },
);
/** A GraphQL-shaped body, with deep nesting spliced into its variables or extensions some of the time. */
const graphqlBody = fc.oneof(
  { weight: 6, arbitrary: graphqlRequest.map((value) => Buffer.from(JSON.stringify(value))) },
  { weight: 1, arbitrary: fc.array(graphqlRequest, { minLength: 1, maxLength: 3 }).map((value) => Buffer.from(JSON.stringify(value))) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...VALID_QUERIES), fc.constantFrom('variables', 'extensions', 'operationName'), deepNesting.filter((value) => value.endsWith(']') || value.endsWith('}')))
      .map(([query, key, nested]) => Buffer.from(`{"query":${JSON.stringify(query)},"${key}":{"v":${nested}}}`)),
  },
  { weight: 3, arbitrary: genericBody },
);

/** A query string: repeated params, invalid percent-encoding, garbage queries, sometimes a few KB. */
function queryString(names: string[], values: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const param = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...PROTO_WORDS, '', '[]', 'a[b]'), text) }), values, fc.constantFrom('encoded', 'raw', 'raw', 'bare'));
  const pairs = fc.array(param, { maxLength: 8 }).map((list) =>
    list.map(([name, value, how]) => (how === 'bare' ? pathSafe(name) : how === 'raw' ? `${pathSafe(name)}=${pathSafe(value)}` : `${encode(name)}=${encode(value)}`)).join('&'),
  );
  const repeated = fc.tuple(fc.constantFrom(...names), fc.integer({ min: 2, max: 400 }), values).map(([name, times, value]) => Array.from({ length: times }, () => `${name}=${encode(value)}`).join('&'));
  return fc.oneof(
    { weight: 5, arbitrary: pairs.map((search) => `?${search}`) },
    { weight: 1, arbitrary: repeated.map((search) => `?${search}`.slice(0, 8000)) },
    { weight: 1, arbitrary: fc.constantFrom('', '?', '??', '?&&&=', '?=', '?%', '?%zz=%zz', '?query=%E0%A4%A', '#frag', '?a=1#b', '?query=' + '%7B'.repeat(2000)) },
    { weight: 1, arbitrary: longText.map((value) => `?${pathSafe(value)}`) },
  );
}

/** GET variables nested a few thousand levels deep, as deep as fits in the 16 KiB of a request head (or past it: 431). */
const deepSearch = fc.tuple(fc.constantFrom(1_000, 3_000, 6_000), fc.constantFrom('raw', 'encoded'), fc.constantFrom('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', '{ __typename }', 'query ($id: ID!) { user(id: $id) { id } }')).map(([depth, how, query]) => {
  const variables = `{"r":${'['.repeat(depth)}${']'.repeat(depth)},"id":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  return `?query=${encode(query)}&variables=${how === 'raw' ? variables.replace(/"/g, '%22') : encode(variables)}`;
});
const graphqlSearch = fc.oneof(
  { weight: 6, arbitrary: queryString(['query', 'variables', 'operationName', 'extensions'], fc.oneof(queryText, variablesValue.map((value) => JSON.stringify(value) ?? ''), fc.constantFrom(...PERCENT_GARBAGE), text)) },
  { weight: 1, arbitrary: deepSearch },
);
const fuzzSearch = queryString(['a', 'query', 'id', 'format', 'name'], anyText);

/** An x-www-form-urlencoded body from these names, with raw garbage, repeats and encoded values. */
function formBody(names: string[], values: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  const pair = fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...PROTO_WORDS), text) }), values, fc.constantFrom('encoded', 'encoded', 'raw', 'bare'));
  return fc
    .array(pair, { maxLength: 12 })
    .map((list) => list.map(([name, value, how]) => (how === 'bare' ? name : how === 'raw' ? `${name}=${value}` : `${encode(name)}=${encode(value)}`)).join('&'))
    .map((form) => Buffer.from(form, 'utf8'));
}

/** A well-framed GraphQL POST (a real token, JSON) with a fuzzed body and extra headers: reaches Apollo, the limits and execution. */
function wellFramedGraphQL(token: string, body: fc.Arbitrary<Buffer>): fc.Arbitrary<FuzzRequest> {
  return fc.record({ extra: fc.array(extraHeader, { maxLength: 3 }), body }).map(({ extra, body }) => ({
    method: 'POST',
    path: '/graphql',
    headers: [['authorization', `Bearer ${token}`], ['content-type', 'application/json'], ...extra.map(([name, value]): [string, string] => [name, headerSafe(value)])],
    body,
  }));
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const anyMethod = fc.constantFrom(...METHODS);
const sometimesOtherMethod = (preferred: string) => fc.oneof({ weight: 6, arbitrary: fc.constant(preferred) }, { weight: 1, arbitrary: anyMethod });
const maybeBody = (body: fc.Arbitrary<Buffer>) => fc.option(body, { nil: undefined, freq: 6 });

// ---------------------------------------------------------------------------------------------
// The suite

describe('fuzzing every endpoint: no input ends a process or gets an untyped 5xx', { timeout: 30_000 * Math.max(1, SCALE) }, () => {
  let auth: TestAuth;
  let stack: TestStack;
  let tokens: RealTokens;
  let authOrigin: string;
  let routerOrigin: string;
  let authorizationPath: string;
  let real: string[];
  let entityTypes: string[];
  const uncaught: string[] = [];
  const onUncaught = (error: unknown) => uncaught.push(`uncaughtException: ${(error as Error)?.stack ?? String(error)}`);
  const onRejection = (reason: unknown) => uncaught.push(`unhandledRejection: ${(reason as Error)?.stack ?? String(reason)}`);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onRejection);
    // The real auth server with its failure limit raised, so that fuzzed client authentication
    // reaches oidc-provider instead of the limiter's 429 after 20 failures (both are fuzzed).
    auth = await startAuth({ failureRateLimit: { perSecond: 1000, burst: 100_000 } });
    stack = await startStack({ dataset: 'demo', auth });
    authOrigin = auth.issuer;
    routerOrigin = new URL(stack.router.url).origin;
    const discovery = (await (await fetch(`${authOrigin}/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string };
    authorizationPath = new URL(discovery.authorization_endpoint).pathname;
    const user = await auth.userToken('alice', ALL_SCOPES);
    const subgraph = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await routerDelegation(auth, user, name)] as const)));
    const service = String((await serviceToken(auth, 'accounts-service')).body.access_token);
    const team = String((await auth.token({ grant_type: 'client_credentials', resource: 'urn:deputy:admin', scope: 'schema:publish' }, { id: 'accounts-team', secret: auth.secret('accounts-team') })).body.access_token);
    const basicOf = (clientId: string) => Buffer.from(`${clientId}:${auth.secret(clientId)}`).toString('base64');
    const basicRouter = basicOf('deputy-router');
    tokens = { user, subgraph, service, team, basicRouter, basic: ['deputy-router', 'accounts-service', 'reviews-service', 'accounts-team'].map((id) => `Basic ${basicOf(id)}`) };
    for (const token of [user, service, team, ...Object.values(subgraph)]) expect(token.split('.')).toHaveLength(3);
    real = [user, service, team, ...Object.values(subgraph)];
    entityTypes = SUBGRAPH_NAMES.flatMap((name) => {
      // Duck-typed: the subgraphs' graphql module may be another realm than this file's.
      const union = stack.built[name].schema.getType('_Entity') as { getTypes?: () => { name: string }[] } | undefined;
      return union?.getTypes?.().map((type) => type.name) ?? [];
    });
  });

  afterAll(async () => {
    if (process.env.DEPUTY_FUZZ_STATS) console.log([...stats].sort().map(([key, count]) => `${String(count).padStart(4)} ${key}`).join('\n'));
    await stack?.stop();
    await auth?.stop();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onRejection);
    expect(uncaught).toEqual([]);
  });

  /** Every part still answers, the router still serves a query, and nothing was polluted or thrown. */
  async function expectAllUp(): Promise<void> {
    const checks: [string, string][] = [
      [routerOrigin, '/health'],
      ...stack.subgraphs.map((subgraph): [string, string] => [new URL(subgraph.url).origin, '/health']),
      [authOrigin, '/.well-known/openid-configuration'],
      [authOrigin, '/jwks'],
    ];
    const statuses = await Promise.all(checks.map(async ([origin, path]) => [`${origin}${path}`, (await send(origin, { method: 'GET', path, headers: [] })).status]));
    expect(statuses).toEqual(checks.map(([origin, path]) => [`${origin}${path}`, 200]));
    const query = await send(routerOrigin, {
      method: 'POST',
      path: '/graphql',
      headers: [
        ['authorization', `Bearer ${tokens.user}`],
        ['content-type', 'application/json'],
      ],
      body: Buffer.from(JSON.stringify({ query: '{ __typename }' })),
    });
    expect([query.status, query.body.toString()]).toEqual([200, JSON.stringify({ data: { __typename: 'Query' } }) + '\n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(uncaught).toEqual([]);
  }

  const headers = (options: Omit<HeaderOptions, 'tokens' | 'real'> = {}) => headerList({ tokens, real, ...options });

  describe('authorization server', () => {
    it('POST /token', async () => {
      const TOKEN_PARAMS = ['grant_type', 'client_id', 'client_secret', 'code', 'code_verifier', 'redirect_uri', 'resource', 'scope', 'audience', 'subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'refresh_token', 'client_assertion', 'client_assertion_type'];
      const tokenValues = fc.oneof(
        fc.constantFrom('client_credentials', 'authorization_code', 'refresh_token', TOKEN_EXCHANGE, ACCESS_TOKEN_TYPE, 'urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'),
        fc.constantFrom('deputy-router', 'web-app', 'accounts-service', 'accounts-team', 'accounts', 'urn:deputy:router', 'urn:deputy:admin', 'urn:deputy:subgraph:accounts', REDIRECT_URI, ALL_SCOPES, ...PROTO_WORDS),
        fc.constantFrom(...real),
        anyText,
        fc.constantFrom(...PERCENT_GARBAGE),
      );
      const body = fc.oneof({ weight: 5, arbitrary: formBody(TOKEN_PARAMS, tokenValues) }, { weight: 2, arbitrary: genericBody });
      const fuzzed = fc.record({
        method: sometimesOtherMethod('POST'),
        path: fc.oneof({ weight: 4, arbitrary: fc.constant('/token') }, { weight: 1, arbitrary: fuzzSearch.map((search) => `/token${search}`) }),
        headers: headers({ contentType: 'application/x-www-form-urlencoded' }),
        body: maybeBody(body),
      });
      // A well-framed request of a real client for a real grant, with fuzzed parameters added or
      // repeated: reaches client authentication and the grants (token exchange included).
      const GRANT_BASES: Record<string, string> = {
        client_credentials: 'grant_type=client_credentials&resource=urn%3Adeputy%3Arouter',
        exchange: `grant_type=${encode(TOKEN_EXCHANGE)}&subject_token_type=${encode(ACCESS_TOKEN_TYPE)}&subject_token=${tokens.user}&audience=accounts`,
        brokered: `grant_type=${encode(TOKEN_EXCHANGE)}&subject_token_type=${encode(ACCESS_TOKEN_TYPE)}&subject_token=${tokens.subgraph.accounts}&audience=reviews&actor_token=${tokens.service}&actor_token_type=${encode(ACCESS_TOKEN_TYPE)}`,
        code: `grant_type=authorization_code&client_id=web-app&redirect_uri=${encode(REDIRECT_URI)}&code_verifier=${'v'.repeat(43)}`,
        refresh: 'grant_type=refresh_token&client_id=web-app',
      };
      const structured = fc
        .record({
          base: fc.constantFrom(...Object.keys(GRANT_BASES)),
          client: fc.oneof(fc.constantFrom(...tokens.basic), fc.constant('')),
          extra: fc.oneof(fc.constant(Buffer.alloc(0)), formBody(TOKEN_PARAMS, tokenValues)),
          headers: headers({}),
        })
        .map(({ base, client, extra, headers }) => {
          const sent: [string, string][] = [['content-type', 'application/x-www-form-urlencoded'], ...headers.filter(([name]) => name !== 'authorization')];
          if (client) sent.push(['authorization', client]);
          return { method: 'POST', path: '/token', headers: sent, body: Buffer.from(`${GRANT_BASES[base]}${extra.length ? `&${extra.toString('utf8')}` : ''}`) };
        });
      const arbitrary = fc.oneof(fuzzed, structured);
      await fc.assert(
        fc.asyncProperty(arbitrary, async (fuzz) => {
          await expectHandled(authOrigin, fuzz);
        }),
        {
          ...FC_OPTIONS,
          numRuns: RUNS.token,
          // The class fixed in 59e54b9: percent-encoding that is not UTF-8 in a Basic user id.
          examples: [
            [{ method: 'POST', path: '/token', headers: [['authorization', `Basic ${Buffer.from('%E0%A4%A:secret').toString('base64')}`], ['content-type', 'application/x-www-form-urlencoded']], body: Buffer.from('grant_type=client_credentials') }],
            [{ method: 'POST', path: '/token', headers: [['authorization', 'Basic %%%'], ['content-encoding', 'gzip'], ['content-type', 'application/x-www-form-urlencoded']], body: Buffer.from('grant_type=client_credentials') }],
          ],
        },
      );
      await expectAllUp();
    });

    it('GET the authorization endpoint', async () => {
      const AUTH_PARAMS = ['client_id', 'response_type', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'resource', 'prompt', 'request', 'request_uri', 'max_age', 'claims', 'ui_locales', 'response_mode', 'id_token_hint', 'login_hint', 'acr_values', 'registration', 'display'];
      const authValues = fc.oneof(
        fc.constantFrom('web-app', 'deputy-router', 'code', 'token', 'id_token', 'none', 'code id_token', REDIRECT_URI, 'openid', ALL_SCOPES, 'S256', 'plain', 'urn:deputy:router', 'login', 'consent', 'create', 'query', 'fragment', 'form_post', 'jwt', '-1', '1e309', '{"id_token":{"__proto__":{"essential":true}}}'),
        fc.constantFrom(...real, ...PROTO_WORDS, ...PERCENT_GARBAGE),
        anyText,
      );
      const valid = new URLSearchParams({ client_id: 'web-app', response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid accounts:read', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', resource: 'urn:deputy:router' }).toString();
      const search = fc.oneof(
        { weight: 4, arbitrary: queryString(AUTH_PARAMS, authValues) },
        // A valid request with fuzzed extra or repeated parameters appended, to get past the client checks.
        { weight: 2, arbitrary: queryString(AUTH_PARAMS, authValues).map((extra) => `?${valid}${extra.startsWith('?') ? `&${extra.slice(1)}` : extra}`) },
      );
      const arbitrary = fc.record({
        method: sometimesOtherMethod('GET'),
        path: search.map((value) => `${authorizationPath}${value}`),
        headers: headers({ contentType: 'application/x-www-form-urlencoded' }),
        body: fc.option(formBody(AUTH_PARAMS, authValues), { nil: undefined, freq: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async (fuzz) => {
          await expectHandled(authOrigin, fuzz);
        }),
        { ...FC_OPTIONS, numRuns: RUNS.auth },
      );
      await expectAllUp();
    });

    it('GET and POST /interaction/<anything>, with made-up and with real interactions', async () => {
      /** A real authorization request: the interaction it starts and its cookies. */
      const startInteraction = async () => {
        const verifier = 'v'.repeat(43);
        const search = new URLSearchParams({
          client_id: 'web-app',
          response_type: 'code',
          redirect_uri: REDIRECT_URI,
          scope: 'openid accounts:read',
          state: 'fuzz',
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
          resource: 'urn:deputy:router',
        });
        const response = await send(authOrigin, { method: 'GET', path: `${authorizationPath}?${search}`, headers: [] });
        const location = String(response.headers.location ?? '');
        expect([response.status, location.startsWith('/interaction/')]).toEqual([303, true]);
        const cookies = (response.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]).join('; ');
        return { path: location, cookies };
      };
      const suffix = fc.constantFrom('', '/login', '/abort', '/', '/login/', '/../token', '//login', '/login?x=1', '/%2e%2e', '/login%00');
      const uid = fc.oneof(fc.constantFrom('', 'x', ...PROTO_WORDS, '%', '%zz', '%E0%A4%A'), text.map(pathSafe), longText.map(pathSafe));
      const form = fc.oneof({ weight: 4, arbitrary: formBody(['username', 'password', 'prompt', 'login'], fc.oneof(fc.constantFrom('alice', 'bob', 'mallory', ''), anyText, fc.constantFrom(...PERCENT_GARBAGE))) }, { weight: 1, arbitrary: genericBody }, { weight: 1, arbitrary: fc.integer({ min: 16_000, max: 40_000 }).map((length) => Buffer.from(`username=${'a'.repeat(length)}`)) });
      const arbitrary = fc.record({
        method: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 1, arbitrary: anyMethod }),
        realInteraction: fc.boolean(),
        uid,
        suffix,
        search: fc.option(fuzzSearch, { nil: undefined, freq: 3 }),
        realCookies: fc.boolean(),
        headers: headers({ contentType: 'application/x-www-form-urlencoded' }),
        body: maybeBody(form),
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ method, realInteraction, uid, suffix, search, realCookies, headers, body }) => {
          const started = realInteraction ? await startInteraction() : undefined;
          const path = `${started ? started.path : `/interaction/${uid}`}${suffix}${search ?? ''}`;
          const sent: [string, string][] = started && realCookies ? [...headers.filter(([name]) => name !== 'cookie'), ['cookie', started.cookies]] : headers;
          await expectHandled(authOrigin, { method, path, headers: sent, body });
        }),
        { ...FC_OPTIONS, numRuns: RUNS.interaction },
      );
      await expectAllUp();
    });

    it('discovery and /jwks', async () => {
      const arbitrary = fc.record({
        method: sometimesOtherMethod('GET'),
        path: fc.tuple(fc.constantFrom('/.well-known/openid-configuration', '/jwks', '/.well-known/oauth-authorization-server', '/.well-known/', '/jwks/', '/.well-known/openid-configuration/../jwks'), fc.option(fuzzSearch, { nil: undefined })).map(([path, search]) => `${path}${search ?? ''}`),
        headers: headers({ contentType: 'application/json' }),
        body: fc.option(genericBody, { nil: undefined, freq: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async (fuzz) => {
          await expectHandled(authOrigin, fuzz);
        }),
        { ...FC_OPTIONS, numRuns: RUNS.discovery },
      );
      await expectAllUp();
    });
  });

  describe('router', () => {
    const routerHeaders = () => headers({ contentType: 'application/json', realAuthorization: [`Bearer ${tokens.user}`] });

    it('POST /graphql', async () => {
      const fuzzed = fc.record({
        method: sometimesOtherMethod('POST'),
        path: fc.oneof({ weight: 5, arbitrary: fc.constant('/graphql') }, { weight: 1, arbitrary: graphqlSearch.map((search) => `/graphql${search}`) }),
        headers: routerHeaders(),
        body: maybeBody(graphqlBody),
      });
      const arbitrary = fc.oneof(fuzzed, wellFramedGraphQL(tokens.user, graphqlBody));
      await fc.assert(
        fc.asyncProperty(arbitrary, async (fuzz) => {
          await expectHandled(routerOrigin, fuzz);
        }),
        {
          ...FC_OPTIONS,
          numRuns: RUNS.graphql,
          // Regression: variables nested 100,000 deep parsed fine, then overflowed the stack in the
          // request limits' JSON.stringify: 500 INTERNAL_SERVER_ERROR.
          examples: [
            [{ method: 'POST', path: '/graphql', headers: [['authorization', `Bearer ${tokens.user}`], ['content-type', 'application/json']], body: Buffer.from(`{"query":"{ __typename }","variables":{"v":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}}`) }],
            [{ method: 'POST', path: '/graphql', headers: [['authorization', `Bearer ${tokens.user}`], ['content-type', 'application/json']], body: Buffer.from(`{"query":"{ __typename }","variables":{"v":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`) }],
          ],
        },
      );
      await expectAllUp();
    });

    it('GET /graphql', async () => {
      const arbitrary = fc.record({
        method: fc.oneof({ weight: 6, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'DELETE') }),
        path: graphqlSearch.map((search) => `/graphql${search}`),
        headers: routerHeaders(),
        body: fc.option(genericBody, { nil: undefined, freq: 6 }),
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async (fuzz) => {
          await expectHandled(routerOrigin, fuzz);
        }),
        {
          ...FC_OPTIONS,
          numRuns: RUNS.graphqlGet,
          // Regression: a HEAD request the HTTP parser refuses (a non-ASCII request target, headers
          // over 16 KiB) got its JSON error body anyway, which a HEAD client reads as a broken response.
          examples: [
            [{ method: 'HEAD', path: '/graphql?query=\u00c3\u0082', headers: [], body: undefined }],
            [{ method: 'HEAD', path: '/graphql', headers: [['cookie', `a=${'x'.repeat(20_000)}`]], body: undefined }],
          ],
        },
      );
      await expectAllUp();
    });

    it('POST /delegate', async () => {
      const target = fc.oneof(fc.constantFrom(...SUBGRAPH_NAMES, ...PROTO_WORDS, ''), text);
      const scopes = fc.oneof(fc.array(fc.oneof(fc.constantFrom('reviews:read', 'reviews:write', 'accounts:read', 'products:read', ...PROTO_WORDS), text), { maxLength: 4 }), jsonGarbage);
      const fuzzedDelegateBody = fc
        .record(
          {
            subjectToken: fc.oneof(fc.constant(tokens.subgraph.accounts), fc.constantFrom(...real), text, jsonGarbage),
            target,
            scopes,
            request: fc.oneof(graphqlRequest.map((value) => value as unknown), jsonGarbage),
            field: fc.oneof(text, jsonGarbage),
          },
          { requiredKeys: [] },
        )
        .map((value) => Buffer.from(JSON.stringify(value)));
      // A valid request with one or two fields replaced: reaches the policy, the exchange and the target.
      const validDelegate = { subjectToken: tokens.subgraph.accounts, target: 'reviews', scopes: ['reviews:read'], request: { query: '{ __typename }' }, field: 'User.reviews' };
      const replacement = fc.oneof(
        fc.record({ subjectToken: fc.oneof(fc.constantFrom(...real), text) }),
        fc.record({ target: target }),
        fc.record({ scopes: scopes }),
        fc.record({ request: fc.oneof(graphqlRequest.map((value) => value as unknown), jsonGarbage) }),
        fc.record({ field: fc.oneof(text, jsonGarbage) }),
      );
      const mutatedDelegateBody = fc.array(replacement, { maxLength: 2 }).map((changes) => Buffer.from(JSON.stringify(Object.assign({ ...validDelegate }, ...changes))));
      const delegateBody = fc.oneof({ weight: 3, arbitrary: mutatedDelegateBody }, { weight: 2, arbitrary: fuzzedDelegateBody });
      const arbitrary = fc.record({
        method: sometimesOtherMethod('POST'),
        path: fc.oneof({ weight: 5, arbitrary: fc.constant('/delegate') }, { weight: 1, arbitrary: fuzzSearch.map((search) => `/delegate${search}`) }),
        headers: headers({ contentType: 'application/json', realAuthorization: [`Bearer ${tokens.service}`], realWeight: 8 }),
        body: maybeBody(fc.oneof({ weight: 3, arbitrary: delegateBody }, { weight: 1, arbitrary: genericBody })),
      });
      const serviceHeaders: [string, string][] = [
        ['authorization', `Bearer ${tokens.service}`],
        ['content-type', 'application/json'],
      ];
      const delegate = (target: string, scopes: string[]) => ({
        method: 'POST',
        path: '/delegate',
        headers: serviceHeaders,
        body: Buffer.from(JSON.stringify({ subjectToken: tokens.subgraph.accounts, target, scopes, request: { query: '{ __typename }' } })),
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async (fuzz) => {
          await expectHandled(routerOrigin, fuzz);
        }),
        {
          ...FC_OPTIONS,
          numRuns: RUNS.delegate,
          // Regression: a target named like an Object.prototype member, with scopes, by a real caller.
          examples: [
            [delegate('constructor', ['reviews:read'])],
            [delegate('__proto__', ['reviews:read'])],
            [delegate('toString', ['x'])],
            // Regression: an operation the target refuses as invalid (a fragment cycle) was relayed as 502 TARGET_FAILED http_400.
            [{ ...delegate('reviews', ['reviews:read']), body: Buffer.from(JSON.stringify({ subjectToken: tokens.subgraph.accounts, target: 'reviews', scopes: ['reviews:read'], request: { query: 'fragment F on Query { ...F } { ...F }' } })) }],
            // Regression: a brokered operation whose variables nest deeper than JSON.stringify can walk.
            [{ ...delegate('reviews', ['reviews:read']), body: Buffer.from(`{"subjectToken":"${tokens.subgraph.accounts}","target":"reviews","scopes":["reviews:read"],"request":{"query":"{ __typename }","variables":{"v":${'['.repeat(10_000)}${']'.repeat(10_000)}}}}`) }],
          ],
        },
      );
      await expectAllUp();
    });

    it('POST /admin/schema', async () => {
      const sdl = stack.router.schema.state.subgraphs.find((source) => source.name === 'accounts')?.sdl ?? '';
      const sdlText = fc.oneof(
        fc.constant(sdl),
        fc.nat().map((at) => sdl.slice(0, at % Math.max(1, sdl.length))),
        anyText.map((extra) => `${sdl}\n${extra}`),
        fc.constantFrom('extend schema @link(url: "%E0%A4%A")', 'type Query { a: Int }', 'scalar', `type Query { ${'f: Int '.repeat(500)}}`, `extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["${'@key'.repeat(50)}"])`),
        graphqlNoise,
        anyText,
      );
      const publishBody = fc
        .oneof(
          { weight: 3, arbitrary: fc.record({ subgraph: fc.constant('accounts'), sdl: sdlText, allowBreaking: fc.boolean() }) },
          {
            weight: 2,
            arbitrary: fc.record({ subgraph: fc.oneof(fc.constantFrom('accounts', 'products', ...PROTO_WORDS), text, jsonGarbage), sdl: fc.oneof({ weight: 4, arbitrary: sdlText }, { weight: 1, arbitrary: jsonGarbage }), allowBreaking: fc.oneof(fc.constant(false), jsonGarbage) }, { requiredKeys: [] }),
          },
        )
        .map((value) => Buffer.from(JSON.stringify(value)));
      const arbitrary = fc.record({
        method: sometimesOtherMethod('POST'),
        path: fc.oneof({ weight: 5, arbitrary: fc.constant('/admin/schema') }, { weight: 1, arbitrary: fuzzSearch.map((search) => `/admin/schema${search}`) }),
        headers: headers({ contentType: 'application/json', realAuthorization: [`Bearer ${tokens.team}`], realWeight: 8 }),
        body: maybeBody(fc.oneof({ weight: 3, arbitrary: publishBody }, { weight: 1, arbitrary: genericBody })),
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async (fuzz) => {
          await expectHandled(routerOrigin, fuzz);
        }),
        { ...FC_OPTIONS, numRuns: RUNS.publish },
      );
      await expectAllUp();
    });

    it('/metrics, /health, / and /console/config.json (and unknown paths)', async () => {
      const path = fc
        .tuple(fc.oneof({ weight: 6, arbitrary: fc.constantFrom('/metrics', '/health', '/', '/console/config.json') }, { weight: 1, arbitrary: fc.constantFrom('/console/', '/console/assets/', '/console/assets/../config.json', '//', '/%2e%2e/', '/graphql/', '/GRAPHQL') }, { weight: 1, arbitrary: text.map((value) => `/${pathSafe(value)}`) }), fc.option(fuzzSearch, { nil: undefined }))
        .map(([route, search]) => `${route}${search ?? ''}`);
      const arbitrary = fc.record({ method: sometimesOtherMethod('GET'), path, headers: headers({ contentType: 'application/json' }), body: fc.option(genericBody, { nil: undefined, freq: 4 }) });
      await fc.assert(
        fc.asyncProperty(arbitrary, async (fuzz) => {
          await expectHandled(routerOrigin, fuzz);
        }),
        { ...FC_OPTIONS, numRuns: RUNS.routerStatic },
      );
      await expectAllUp();
    });
  });

  describe('subgraphs', () => {
    for (const name of SUBGRAPH_NAMES) {
      it(`${name}: POST and GET /graphql`, async () => {
        const subgraph = stack.subgraphs.find((candidate) => candidate.name === name)!;
        const origin = new URL(subgraph.url).origin;
        const representations = fc.array(fc.oneof(fc.record({ __typename: fc.oneof(fc.constantFrom(...entityTypes, ...PROTO_WORDS), text), id: jsonGarbage, upc: jsonGarbage }, { requiredKeys: ['__typename'] }), jsonGarbage), { maxLength: 4 });
        const entitiesBody = representations.map((list) => Buffer.from(JSON.stringify({ query: 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', variables: { r: list } })));
        const subgraphBody = fc.oneof({ weight: 3, arbitrary: graphqlBody }, { weight: 2, arbitrary: entitiesBody });
        const post = fc.oneof(
          fc.record({
            method: sometimesOtherMethod('POST'),
            path: fc.oneof({ weight: 5, arbitrary: fc.constant('/graphql') }, { weight: 1, arbitrary: graphqlSearch.map((search) => `/graphql${search}`) }),
            headers: headers({ contentType: 'application/json', realAuthorization: [`Bearer ${tokens.subgraph[name]}`] }),
            body: maybeBody(subgraphBody),
          }),
          wellFramedGraphQL(tokens.subgraph[name], subgraphBody),
        );
        const get = fc.record({
          method: fc.constant('GET'),
          path: graphqlSearch.map((search) => `/graphql${search}`),
          headers: headers({ realAuthorization: [`Bearer ${tokens.subgraph[name]}`] }),
          body: fc.constant(undefined),
        });
        await fc.assert(
          fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: post }, { weight: 1, arbitrary: get }), async (fuzz) => {
            await expectHandled(origin, fuzz);
          }),
          { ...FC_OPTIONS, numRuns: RUNS.subgraph },
        );
        await expectAllUp();
      });
    }

    it('every subgraph: /health (and unknown paths)', async () => {
      const arbitrary = fc.record({
        subgraph: fc.constantFrom(...SUBGRAPH_NAMES),
        method: sometimesOtherMethod('GET'),
        path: fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constant('/health') }, { weight: 1, arbitrary: text.map((value) => `/${pathSafe(value)}`) }), fc.option(fuzzSearch, { nil: undefined })).map(([route, search]) => `${route}${search ?? ''}`),
        headers: headers({ contentType: 'application/json' }),
        body: fc.option(genericBody, { nil: undefined, freq: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ subgraph, ...fuzz }) => {
          await expectHandled(new URL(stack.subgraphs.find((candidate) => candidate.name === subgraph)!.url).origin, fuzz);
        }),
        { ...FC_OPTIONS, numRuns: RUNS.subgraphHealth, examples: [[{ subgraph: 'reviews', method: 'HEAD', path: '/health?\u00ff', headers: [], body: undefined }]] },
      );
      await expectAllUp();
    });
  });

  it('leaves every part up and the process free of uncaught exceptions', async () => {
    await expectAllUp();
  });
});
