import fc from 'fast-check';
import { BENCHMARK_QUERY } from '../graphql.js';
import { type FuzzRequest } from './rawHttp.js';

// The fuzz suite's inputs (test/security/fuzzEndpoints): broken headers, encodings, bodies and
// query strings, and well-framed requests with one or two things wrong.

// ---------------------------------------------------------------------------------------------
// Generators

/** Bytes as a header- or path-safe string: each byte one latin1 char (so non-UTF-8 bytes go out as they are). */
export const asLatin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
/** Node refuses to send control characters in header values; everything else (0x80-0xff too) goes out raw. */
export const headerSafe = (text: string) => asLatin1(text).replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');
/** encodeURIComponent of the UTF-8 bytes: a lone surrogate goes out as U+FFFD instead of throwing here. */
export const encode = (value: string) => encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));
/** A request target may hold any byte from 0x21 to 0xff; spaces and controls are percent-encoded. */
export const pathSafe = (text: string) => asLatin1(text).replace(/[\x00-\x20\x7f]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`);

export const PERCENT_GARBAGE = ['%', '%%', '%zz', '%E0%A4%A', '%E0%A4', '%C0%AF', '%00', '%FF%FE', '%u0041', '%2', '%%32%65', '%ED%A0%80', '%F4%90%80%80', '%0a%0d'];
export const PROTO_WORDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
export const PUNCTUATION = [':', '::', '=', '==', '===', '.', '..', ' ', '\t', '+', '/', '-', '_', ';', ',', '"', "'", '\\', '{', '}', '[', ']', '\u00ff', '\u0080'];

export const latin1Char = fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f).map((code) => String.fromCharCode(code));
/** Bytes 0x20-0xff, many of them not valid UTF-8. */
export const latin1Text = (maxLength: number) => fc.string({ unit: latin1Char, maxLength });
export const piece = fc.oneof(
  fc.constantFrom(...PERCENT_GARBAGE, ...PUNCTUATION, ...PROTO_WORDS),
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  latin1Text(16),
  fc.base64String({ maxLength: 32 }),
);
/** Short garbage, as a Unicode string (callers encode it for where it goes). */
export const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
/** Garbage repeated up to a few KB. */
export const longText = fc.tuple(text, fc.integer({ min: 256, max: 6144 })).map(([seed, length]) => (seed || 'A').repeat(Math.ceil(length / Math.max(1, seed.length))).slice(0, length));
export const anyText = fc.oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: longText });

/** Base64 whose padding is broken in one of several ways. */
export const brokenBase64 = (inner: fc.Arbitrary<string>) =>
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

export const jsonGarbage = fc.jsonValue({ maxDepth: 3 });

/** Real tokens of this run (filled in beforeAll), so fuzzing also reaches past authentication. */
export interface RealTokens {
  user: string;
  subgraph: Record<string, string>;
  service: string;
  team: string;
  basicRouter: string;
  /** `Basic ...` values of real confidential clients (router, a service, a team). */
  basic: string[];
}

export function authorizationValue(tokens: RealTokens, real: string[]) {
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

export const COOKIE_NAMES = ['_interaction', '_interaction.sig', '_interaction_resume', '_interaction_resume.sig', '_session', '_session.sig', '_session.legacy', '_session.legacy.sig', '_grant', ''];
export const cookiePair = fc
  .tuple(fc.oneof(fc.constantFrom(...COOKIE_NAMES, ...PROTO_WORDS), text), fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: fc.constantFrom('', '""', '"unterminated', '=', 'a=b=c', ...PERCENT_GARBAGE) }, { weight: 1, arbitrary: longText }))
  .map(([name, value]) => `${name}=${value}`);
export const cookieHeader = fc
  .oneof(
    { weight: 5, arbitrary: fc.array(cookiePair, { maxLength: 60 }).map((pairs) => pairs.join('; ')) },
    { weight: 1, arbitrary: fc.constantFrom(';', ';;;', '=', '==', ' ', 'a', '; ; =;', '_interaction', '_interaction=', '_session=;_session=;_session=') },
    { weight: 1, arbitrary: anyText },
  )
  .map(headerSafe);

export const CONTENT_TYPES = [
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
export const contentType = (preferred: string) => fc.option(fc.oneof({ weight: 3, arbitrary: fc.constant(preferred) }, { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: text.map(headerSafe) }), { nil: undefined, freq: 5 });
export const contentEncoding = fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'gzip, deflate', 'identity', 'zstd', 'x-gzip', 'compress', 'gzip, gzip', ' ', ''), { nil: undefined, freq: 2 });

export const extraHeader = fc.oneof(
  fc.tuple(fc.constant('traceparent'), fc.oneof(fc.constant('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'), fc.constant('00-00000000000000000000000000000000-0000000000000000-00'), text)),
  fc.tuple(fc.constant('x-delegation-trace'), fc.constantFrom('1', '0', 'true', '11', '')),
  fc.tuple(fc.constantFrom('accept', 'accept-language', 'accept-encoding', 'origin', 'referer', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded', 'dpop', 'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name', 'if-none-match'), text),
  fc.tuple(fc.constantFrom(...PROTO_WORDS), text),
);

export interface HeaderOptions {
  tokens: RealTokens;
  real: string[];
  contentType?: string;
  /** Some of the time, one real Authorization header (to reach past authentication). */
  realAuthorization?: string[];
  /** How often a real Authorization header is sent, against 4 for fuzzed ones; default 3. */
  realWeight?: number;
}

export function headerList(options: HeaderOptions): fc.Arbitrary<[string, string][]> {
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
export const deepNesting = fc.tuple(fc.constantFrom(64, 1_000, 10_000, 100_000, 300_000), fc.constantFrom('[', '{"a":', '[{"a":'), fc.boolean()).map(([depth, open, closed]) => {
  const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
  return `${open.repeat(depth)}${closed ? `1${close.repeat(depth)}` : ''}`;
});
export const PROTO_BODIES = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"query":"{ __typename }","__proto__":{"query":"{ me { id } }","polluted":"yes"}}',
  '{"query":"{ __typename }","variables":{"__proto__":{"polluted":"yes"}},"extensions":{"__proto__":{"polluted":"yes"}}}',
  '{"query":"{ __typename }","extensions":{"constructor":{"prototype":{"polluted":"yes"}}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
];
export const truncatedJson = fc.tuple(jsonGarbage.map((value) => JSON.stringify(value)), fc.nat()).map(([json, at]) => json.slice(0, at % Math.max(1, json.length)));
export const binaryBody = fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes));

/** Bodies any endpoint may get, as bytes. */
export const genericBody = fc.oneof(
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

export const GRAPHQL_WORDS = ['{', '}', '(', ')', '...', 'fragment', 'on', 'query', 'mutation', 'subscription', '$a', ':', '@include(if: $x)', '@skip', '__typename', '__schema', '__type(name: "User")', 'users', 'me', 'topProducts', 'reviews', 'id', '"', '"""', '#', '1e999', '0x', '[', ']', '=', '!', '&', '|', 'Int', 'ID!'];
export const graphqlNoise = fc.array(fc.oneof(fc.constantFrom(...GRAPHQL_WORDS), text), { maxLength: 40 }).map((words) => words.join(' '));
export const VALID_QUERIES = [
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
export const queryText = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VALID_QUERIES) }, { weight: 2, arbitrary: graphqlNoise }, { weight: 1, arbitrary: anyText });
export const variablesValue = fc.oneof(
  jsonGarbage,
  fc.record({ id: fc.oneof(fc.constantFrom('1', 'alice', '__proto__', 'constructor'), jsonGarbage), first: fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 2 ** 31, 1e308, -0), jsonGarbage), upc: fc.oneof(fc.constantFrom('1', '__proto__'), text), body: anyText, inStock: jsonGarbage }, { requiredKeys: [] }),
  fc.record({ r: fc.array(fc.dictionary(fc.oneof(fc.constantFrom('__typename', 'id', 'upc', ...PROTO_WORDS), text), jsonGarbage, { maxKeys: 3 }), { maxLength: 3 }) }),
);
export const graphqlRequest = fc.record(
  {
    query: fc.oneof({ weight: 5, arbitrary: queryText }, { weight: 1, arbitrary: jsonGarbage }),
    variables: fc.oneof({ weight: 4, arbitrary: variablesValue }, { weight: 1, arbitrary: fc.string().map((value) => value as unknown) }),
    operationName: fc.oneof(fc.constantFrom('TestQuery', 'A', 'B', ...PROTO_WORDS), jsonGarbage),
    extensions: fc.oneof(jsonGarbage, fc.record({ persistedQuery: fc.record({ version: fc.oneof(fc.constant(1), jsonGarbage), sha256Hash: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), jsonGarbage) }, { requiredKeys: [] }) })),
  },
  { requiredKeys: [] },
);
/** A GraphQL-shaped body, with deep nesting spliced into its variables or extensions some of the time. */
export const graphqlBody = fc.oneof(
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
export function queryString(names: string[], values: fc.Arbitrary<string>): fc.Arbitrary<string> {
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
export const deepSearch = fc.tuple(fc.constantFrom(1_000, 3_000, 6_000), fc.constantFrom('raw', 'encoded'), fc.constantFrom('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', '{ __typename }', 'query ($id: ID!) { user(id: $id) { id } }')).map(([depth, how, query]) => {
  const variables = `{"r":${'['.repeat(depth)}${']'.repeat(depth)},"id":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  return `?query=${encode(query)}&variables=${how === 'raw' ? variables.replace(/"/g, '%22') : encode(variables)}`;
});
export const graphqlSearch = fc.oneof(
  { weight: 6, arbitrary: queryString(['query', 'variables', 'operationName', 'extensions'], fc.oneof(queryText, variablesValue.map((value) => JSON.stringify(value) ?? ''), fc.constantFrom(...PERCENT_GARBAGE), text)) },
  { weight: 1, arbitrary: deepSearch },
);
export const fuzzSearch = queryString(['a', 'query', 'id', 'format', 'name'], anyText);

/** An x-www-form-urlencoded body from these names, with raw garbage, repeats and encoded values. */
export function formBody(names: string[], values: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  const pair = fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...PROTO_WORDS), text) }), values, fc.constantFrom('encoded', 'encoded', 'raw', 'bare'));
  return fc
    .array(pair, { maxLength: 12 })
    .map((list) => list.map(([name, value, how]) => (how === 'bare' ? name : how === 'raw' ? `${name}=${value}` : `${encode(name)}=${encode(value)}`)).join('&'))
    .map((form) => Buffer.from(form, 'utf8'));
}

/** A well-framed GraphQL POST (a real token, JSON) with a fuzzed body and extra headers: reaches Apollo, the limits and execution. */
export function wellFramedGraphQL(token: string, body: fc.Arbitrary<Buffer>): fc.Arbitrary<FuzzRequest> {
  return fc.record({ extra: fc.array(extraHeader, { maxLength: 3 }), body }).map(({ extra, body }) => ({
    method: 'POST',
    path: '/graphql',
    headers: [['authorization', `Bearer ${token}`], ['content-type', 'application/json'], ...extra.map(([name, value]): [string, string] => [name, headerSafe(value)])],
    body,
  }));
}

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
export const anyMethod = fc.constantFrom(...METHODS);
export const sometimesOtherMethod = (preferred: string) => fc.oneof({ weight: 6, arbitrary: fc.constant(preferred) }, { weight: 1, arbitrary: anyMethod });
export const maybeBody = (body: fc.Arbitrary<Buffer>) => fc.option(body, { nil: undefined, freq: 6 });
