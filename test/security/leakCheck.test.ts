import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { BENCHMARK_QUERY, postGraphQL } from '../helpers/graphql.js';
import { foreignToken } from '../helpers/forgeToken.js';
import { claimsOf } from '../helpers/decode.js';
import { rawPost } from '../helpers/rawRequest.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recordingServer.js';
import { InvalidTokenError } from '../../lib/tokenRejection.js';
import { captureLogger } from '../helpers/captureLogger.js';
import { TEST_POSTGRES_URL, dropSchema, sql, uniqueSchema } from '../helpers/postgres.js';

// Runs every kind of traffic the suite exercises (traced queries with denials, a broker hop,
// refused tokens, request limits, an auth-server outage, a subgraph refusing its token, bad
// admin and broker calls) while capturing everything Deputy writes: stdout/stderr, the audit
// store's table in PostgreSQL (every column of every row), responses (errors and traces),
// /metrics, exported OTLP spans and the shared Redis.
// Then it searches all of it for every token the authorization server issued and every
// secret of the run.

const PREFIX = `deputy-leak-${randomUUID()}:`;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const AUDIT_SCHEMA = uniqueSchema('leak');

describe('nothing secret leaks into logs, the audit store, traces, metrics, errors or the shared store', () => {
  let stack: TestStack;
  let collector: RecordingServer;
  const captured: Record<string, string[]> = { stdout: [], responses: [], metrics: [], otlp: [], redis: [], audit: [] };
  const forged: string[] = [];
  let inventoryRefuses = false;
  const restore: (() => void)[] = [];
  const routerLogs = captureLogger();

  const tee = (stream: NodeJS.WriteStream, into: string[]) => {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      into.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  };

  const graphql = async (token: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await postGraphQL(stack.router.url, body, { authorization: `Bearer ${token}`, ...headers });
    captured.responses.push(response.text);
    return response;
  };
  const post = async (path: string, headers: [string, string][], body: string) => {
    const response = await rawPost(stack.router.url.replace('/graphql', path), headers, body);
    captured.responses.push(response.text, JSON.stringify(response.headers));
    return response;
  };

  beforeAll(async () => {
    tee(process.stdout, captured.stdout);
    tee(process.stderr, captured.stdout);
    collector = await startRecordingServer('/v1/traces');
    stack = await startStack({
      // The router's logger writes to fd 2 itself (not through process.stderr): its lines are kept here.
      logger: routerLogs.logger,
      routerConfig: (config) => ({
        ...config,
        shared: { redisUrl: 'redis://127.0.0.1:6379', keyPrefix: PREFIX, tokenEncryptionKey: ENCRYPTION_KEY },
        exchange: { ...config.exchange, cache: { backend: 'redis' } },
        telemetry: { otlpEndpoint: collector.url },
        audit: { sink: 'postgres', postgres: { url: TEST_POSTGRES_URL, schema: AUDIT_SCHEMA, flushIntervalMs: 100 } },
      }),
      wrapVerifier: (subgraph, verifier) => ({
        async verify(credential) {
          const verified = await verifier.verify(credential);
          if (subgraph === 'inventory' && inventoryRefuses) throw new InvalidTokenError('revoked');
          return verified;
        },
      }),
    });

    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((user) => stack.auth.userToken(user)));
    // Traced queries with per-field denials, and a broker hop (accounts asks reviews).
    for (const token of [alice, bob, carol]) await graphql(token, { query: BENCHMARK_QUERY }, { 'x-delegation-trace': '1' });
    await graphql(alice, { query: '{ me { username reviewCount } users { birthday } }' }, { 'x-delegation-trace': '1' });
    // Refused tokens: forged with alice's claims, truncated, tampered, repeated, a subgraph's token.
    forged.push(await foreignToken(claimsOf(alice)), `${alice}x`);
    for (const token of [...forged, alice.slice(0, -20)]) await graphql(token, { query: '{ users { name } }' });
    await post('/graphql', [['authorization', `Bearer ${alice}`], ['authorization', `Bearer ${bob}`]], '{"query":"{ users { name } }"}');
    const subgraphToken = stack.received.find((request) => request.subgraph === 'products')!.authorization[0].replace(/^Bearer /, '');
    await graphql(subgraphToken, { query: '{ users { name } }' });
    // Request limits and a malformed body.
    await graphql(alice, { query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: users { id }`).join(' ')} }` });
    await post('/graphql', [['authorization', `Bearer ${alice}`]], '{"query": ');
    // A subgraph refusing its (cached, then fresh) token.
    inventoryRefuses = true;
    await graphql(alice, { query: '{ topProducts { inStock } }' }, { 'x-delegation-trace': '1' });
    inventoryRefuses = false;
    // The authorization server down, then back.
    const dana = await stack.auth.userToken('laurin');
    await stack.auth.server.stop();
    await graphql(dana, { query: '{ users { name } topProducts { name } }' }, { 'x-delegation-trace': '1' });
    await stack.auth.restart();
    await sleep(300);
    // Bad calls to the broker and the admin API, holding real tokens of the wrong kind.
    await post('/delegate', [['authorization', `Bearer ${alice}`]], JSON.stringify({ target: 'reviews', subjectToken: subgraphToken, query: '{ __typename }' }));
    await post('/admin/schema', [['authorization', `Bearer ${alice}`]], JSON.stringify({ subgraph: 'inventory', sdl: 'type Query { x: Int }' }));

    const metrics = await fetch(stack.router.url.replace('/graphql', '/metrics'));
    captured.metrics.push(await metrics.text());
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${PREFIX}*` })) {
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'string') captured.redis.push(`${key} ${await redis.get(key)}`);
        else if (type === 'stream') captured.redis.push(`${key} ${JSON.stringify(await redis.xRange(key, '-', '+'))}`);
        else captured.redis.push(`${key} (${type})`);
        await redis.del(key);
      }
    }
    await redis.quit();
    // Stopping flushes the audit store and the OTLP exporter.
    await stack.stop();
    captured.otlp.push(...collector.bodies);
    captured.audit.push(...(await sql(`SELECT * FROM ${AUDIT_SCHEMA}.audit_events ORDER BY id`)).map((row) => JSON.stringify(row)));
  }, 120_000);
  afterAll(async () => {
    for (const undo of restore) undo();
    await collector?.stop();
    await dropSchema(AUDIT_SCHEMA);
  });

  it('captured real traffic in every place it searches (so the search below could fail)', () => {
    expect(captured.responses.join('\n')).toContain('"delegationTrace"');
    expect(captured.responses.join('\n')).toContain('DELEGATION_UNAVAILABLE');
    expect(captured.responses.join('\n')).toContain('SUBGRAPH_REFUSED');
    expect(captured.audit.length).toBeGreaterThan(20);
    for (const kind of ['request', 'decisions', 'delegation', 'token.exchange', 'broker.delegate']) expect(captured.audit.join('\n')).toContain(`"event":"${kind}"`);
    expect(captured.metrics.join('')).toContain('deputy_');
    expect(captured.otlp.join('')).toContain('deputy.subgraph_fetch');
    expect(captured.redis.length).toBeGreaterThan(0);
    expect(stack.auth.issued.length).toBeGreaterThan(15);
  });

  it('finds no issued, forged or received token, nor any secret, anywhere', () => {
    const tokens = [...new Set([...stack.auth.issued, ...forged, ...stack.received.flatMap((request) => request.authorization.map((value) => value.replace(/^Bearer /, '')))])];
    // Every 16-character piece of each signature and secret (96 random bits each): any run of
    // 31 or more characters of one, a truncated log line included, contains a whole piece.
    const pieces = (value: string) => Array.from({ length: Math.ceil(value.length / 16) }, (_, i) => value.slice(i * 16, i * 16 + 16)).filter((piece) => piece.length === 16);
    const needles = [...tokens.map((token) => token.split('.')[2] ?? token), ...stack.auth.secrets(), ENCRYPTION_KEY].flatMap(pieces);
    const leaks: string[] = [];
    captured.logs = [routerLogs.text()];
    for (const [place, texts] of Object.entries(captured)) {
      const text = texts.join('\n');
      for (const needle of needles) if (text.includes(needle)) leaks.push(`${place}: a piece ending …${needle.slice(-4)}`);
    }
    expect(leaks).toEqual([]);
  });
});
