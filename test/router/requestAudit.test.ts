import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import type { AuditEvent } from '../../router/audit/auditLog.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';

// The whole request in the audit (memory sink): one `request` event per operation, the
// decisions each subgraph reported, the delegations and exchanges, all under one trace id.

const PEOPLE = 'query People { me { username } users { username birthday } }';
const BIRTHDAY_RULE = 'scope accounts:read and (the user themself or role support)';
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/;

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { path?: (string | number)[]; extensions: { code: string; rule?: string } }[];
  extensions?: { delegationTrace?: DelegationTrace };
}

describe('the audit of a whole request', () => {
  let stack: TestStack;
  const tokens: Record<string, string> = {};
  const eventsOf = (traceId: string) => stack.audit.filter((event) => event.traceId === traceId);
  const requestOf = async (traceId: string): Promise<AuditEvent> => {
    await expect.poll(() => eventsOf(traceId).filter((event) => event.event === 'request')).toHaveLength(1);
    return eventsOf(traceId).find((event) => event.event === 'request')!;
  };

  beforeAll(async () => {
    stack = await startStack({ dataset: 'demo', routerConfig: (config) => ({ ...config, trace: { policy: 'always' } }) });
    for (const user of ['alice', 'carol']) tokens[user] = await stack.auth.userToken(user);
  });
  afterAll(() => stack?.stop());

  it('writes one request event with the caller, the operation, the outcome and the denials, under the trace id of the response', async () => {
    const response = await postGraphQL(stack.router.url, { query: PEOPLE }, { authorization: `Bearer ${tokens.alice}`, 'x-delegation-trace': '1' });
    const body = response.json() as Body;
    const traceId = body.extensions!.delegationTrace!.traceId;
    const denials = (body.errors ?? []).filter((error) => error.extensions.code === 'FORBIDDEN');
    expect(denials.length).toBeGreaterThan(0);
    expect(await requestOf(traceId)).toMatchObject({
      event: 'request',
      subject: 'alice',
      client: 'web-app',
      subjectFingerprint: expect.stringMatching(/^[0-9a-f]{12}$/),
      tokenJti: expect.any(String),
      scopesHeld: expect.arrayContaining(['accounts:read', 'reviews:read']),
      operationName: 'People',
      operationType: 'query',
      documentHash: createHash('sha256').update(PEOPLE).digest('hex'),
      outcome: 'partial',
      status: 200,
      errorCodes: { FORBIDDEN: denials.length },
      denials: denials.length,
      durationMs: expect.any(Number),
    });
  });

  it("records each subgraph's decisions with field, outcome, rule and roles, and the denied paths that match the response's errors", async () => {
    const response = await postGraphQL(stack.router.url, { query: PEOPLE }, { authorization: `Bearer ${tokens.alice}`, 'x-delegation-trace': '1' });
    const body = response.json() as Body;
    const traceId = body.extensions!.delegationTrace!.traceId;
    await requestOf(traceId);
    const decisions = eventsOf(traceId).filter((event) => event.event === 'decisions');
    expect(decisions.map((event) => event.subgraph)).toEqual(['accounts']);
    const accounts = decisions[0] as AuditEvent & { decisions: unknown[]; denied: { path: string; rule: string; count: number }[] };
    expect(accounts).toMatchObject({ subject: 'alice', client: 'web-app', reported: true });
    expect(accounts.decisions).toContainEqual({ field: 'User.birthday', decision: 'deny', rule: BIRTHDAY_RULE, roles: ['support'], count: 8 });
    expect(accounts.decisions).toContainEqual({ field: 'User.birthday', decision: 'allow', rule: BIRTHDAY_RULE, roles: ['support'], count: 1 });
    const forbidden = (body.errors ?? []).filter((error) => error.extensions.code === 'FORBIDDEN');
    const folded = [...new Set(forbidden.map((error) => error.path!.map((segment) => (typeof segment === 'number' ? '@' : segment)).join('.')))];
    expect(accounts.denied).toEqual(folded.map((path) => ({ path, rule: forbidden[0].extensions.rule, count: forbidden.length })));
  });

  it('gives the delegations, the exchanges and the decisions of one request the same trace id, and no token', async () => {
    const laurin = await stack.auth.userToken('laurin');
    const response = await postGraphQL(stack.router.url, { query: '{ topProducts(first: 2) { name inStock reviews { body } } }' }, { authorization: `Bearer ${laurin}`, 'x-delegation-trace': '1' });
    const traceId = (response.json() as Body).extensions!.delegationTrace!.traceId;
    await requestOf(traceId);
    const kinds = eventsOf(traceId).map((event) => event.event);
    expect(kinds.filter((kind) => kind === 'delegation')).toHaveLength(3);
    expect(kinds.filter((kind) => kind === 'token.exchange')).toHaveLength(3);
    expect(kinds).toContain('request');
    expect(JSON.stringify(stack.audit)).not.toMatch(JWT_LIKE);
  });

  it('audits a refused token as a refused request with its code and no subject', async () => {
    const response = await postGraphQL(stack.router.url, { query: '{ users { name } }' }, { authorization: 'Bearer not-a-token', traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01` });
    expect(response.status).toBe(401);
    expect(await requestOf('ab'.repeat(16))).toMatchObject({ outcome: 'refused', status: 401, code: 'UNAUTHENTICATED', reason: expect.any(String), denials: 0 });
    expect((await requestOf('ab'.repeat(16))).subject).toBeUndefined();
  });

  it('audits a request refused by a limit before Apollo, and one Apollo refuses, each with its code', async () => {
    const deep = `{ ${'me { reviews { author { '.repeat(6)}username${' } } }'.repeat(6)} }`;
    const limited = await postGraphQL(stack.router.url, { query: deep }, { authorization: `Bearer ${tokens.carol}`, traceparent: `00-${'a1'.repeat(16)}-${'cd'.repeat(8)}-01` });
    expect(limited.status).toBe(400);
    const code = (limited.json() as Body).errors![0].extensions.code;
    expect(await requestOf('a1'.repeat(16))).toMatchObject({ subject: 'carol', outcome: 'refused', status: 400, code });
    const invalid = await postGraphQL(stack.router.url, { query: '{ nope }' }, { authorization: `Bearer ${tokens.carol}`, traceparent: `00-${'a2'.repeat(16)}-${'cd'.repeat(8)}-01` });
    expect(invalid.status).toBe(400);
    expect(await requestOf('a2'.repeat(16))).toMatchObject({ subject: 'carol', outcome: 'refused', status: 400, code: 'GRAPHQL_VALIDATION_FAILED', documentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('says ok for a request answered without errors', async () => {
    const response = await postGraphQL(stack.router.url, { query: '{ topProducts(first: 1) { name } }' }, { authorization: `Bearer ${tokens.carol}`, traceparent: `00-${'a3'.repeat(16)}-${'cd'.repeat(8)}-01` });
    expect(response.status).toBe(200);
    expect(await requestOf('a3'.repeat(16))).toMatchObject({ subject: 'carol', outcome: 'ok', status: 200, denials: 0 });
  });
});
