import { describe, expect, it } from 'vitest';
import { SubgraphDecisions, type DecisionsContext } from '../../../router/audit/subgraphDecisions.js';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { RequestAudit, outcomeOf } from '../../../router/audit/requestAudit.js';
import { auditRowOf } from '../../../router/audit/auditRow.js';
import { memoryAuditLog } from '../../../router/audit/auditLog.js';
import { formatAuditStory } from '../../../router/commands/formatAuditStory.js';
import type { Caller } from '../../../router/edge/authenticateCaller.js';

const who = { traceId: 't1', subject: 'alice', client: 'web-app' };

/** The decisions event of these responses of one subgraph. */
function decisionsEvent(subgraph: string, responses: [GatewayGraphQLResponse, (string | number)[]?][], context: DecisionsContext = who) {
  const decisions = new SubgraphDecisions();
  for (const [response, planPath] of responses) decisions.add(response, planPath);
  return decisions.event(subgraph, context);
}

describe('the decisions event of a subgraph in one request', () => {
  it('adds up the decisions of its fetches and places each FORBIDDEN error at its response path, list indices folded', () => {
    const entities: GatewayGraphQLResponse = {
      data: { _entities: [{ birthday: null }, { birthday: null }] },
      errors: [
        { message: 'no', path: ['_entities', 0, 'birthday'], extensions: { code: 'FORBIDDEN', rule: 'owner' } },
        { message: 'no', path: ['_entities', 1, 'birthday'], extensions: { code: 'FORBIDDEN', rule: 'owner' } },
        { message: 'down', path: ['_entities', 1, 'name'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ],
      extensions: { authorization: { subgraph: 'accounts', decisions: [{ field: 'User.birthday', decision: 'deny', rule: 'owner', roles: ['support'], count: 2 }] } },
    };
    const root: GatewayGraphQLResponse = {
      data: { me: { birthday: 1 } },
      extensions: { authorization: { subgraph: 'accounts', decisions: [{ field: 'User.birthday', decision: 'allow', rule: 'owner', roles: ['support'], count: 1 }, { field: 'User.birthday', decision: 'deny', rule: 'owner', roles: ['support'], count: 1 }] } },
    };
    expect(decisionsEvent('accounts', [[entities, ['topProducts', '@', 'reviews', '@', 'author']], [root]])).toEqual({
      event: 'decisions',
      traceId: 't1',
      subject: 'alice',
      client: 'web-app',
      subgraph: 'accounts',
      fetches: 2,
      planPaths: ['topProducts.@.reviews.@.author', ''],
      reported: true,
      decisions: [
        { field: 'User.birthday', decision: 'deny', rule: 'owner', roles: ['support'], count: 3 },
        { field: 'User.birthday', decision: 'allow', rule: 'owner', roles: ['support'], count: 1 },
      ],
      denied: [{ path: 'topProducts.@.reviews.@.author.birthday', rule: 'owner', count: 2 }],
    });
  });

  it('audits a subgraph that reports no decisions by its FORBIDDEN errors, and nothing for responses with neither', () => {
    const event = decisionsEvent('legacy', [[{ errors: [{ message: 'no', path: ['me', 'email'], extensions: { code: 'FORBIDDEN' } }] }]], { ...who, via: 'accounts-service' });
    expect(event).toMatchObject({ reported: false, decisions: [], denied: [{ path: 'me.email', rule: 'unknown', count: 1 }], via: 'accounts-service' });
    expect(decisionsEvent('products', [[{ data: { topProducts: [] } }]])).toBeUndefined();
  });

  it('reads whatever a brokered target sent without throwing, keeping only well-formed decisions', () => {
    for (const answer of [null, 'text', 42, [], { errors: 'no' }, { errors: [null, { path: 'x', extensions: { code: 'FORBIDDEN' } }] }]) {
      expect(decisionsEvent('reviews', [[answer as never]])).toBeUndefined();
    }
    const event = decisionsEvent('reviews', [[{ extensions: { authorization: { decisions: [null, { field: 'A.b', decision: 'maybe', rule: 'r' }, { field: 'A.c', decision: 'allow', rule: 'r', count: 'x' }] } } } as never]]);
    expect(event?.decisions).toEqual([{ field: 'A.c', decision: 'allow', rule: 'r', count: 1 }]);
  });
});

describe('the request event', () => {
  it('says ok, partial, refused or error from the status and the answer', () => {
    expect(outcomeOf(200, true, 0)).toBe('ok');
    expect(outcomeOf(200, true, 2)).toBe('partial');
    expect(outcomeOf(200, false, 1)).toBe('error');
    expect(outcomeOf(400, false, 1)).toBe('refused');
    expect(outcomeOf(429, false, 1)).toBe('refused');
    expect(outcomeOf(500, false, 1)).toBe('error');
  });

  it('writes one event per operation of a batch, and an answer replaced by a refusal as refused, never a token', () => {
    const log = memoryAuditLog();
    const caller = { sub: 'alice', clientId: 'web-app', scopes: ['accounts:read'], jti: 'j1', fingerprint: 'ab'.repeat(32), token: 'secret.token.value', exp: 0, claims: {} } as Caller;
    const audit = new RequestAudit(log, { traceId: 't2', caller });
    audit.operationAnswered({ operationName: 'A', operationType: 'query', documentHash: 'h', status: 200, hasData: true, errorCodes: ['FORBIDDEN', 'FORBIDDEN'] });
    audit.operationAnswered({ operationType: 'query', status: 200, hasData: true, errorCodes: [] });
    audit.finish(200);
    audit.finish(200);
    expect(log.events.map((event) => [event.batchIndex, event.outcome, event.denials, event.errorCodes])).toEqual([
      [0, 'partial', 2, { FORBIDDEN: 2 }],
      [1, 'ok', 0, undefined],
    ]);
    expect(log.events[0]).toMatchObject({ subject: 'alice', client: 'web-app', subjectFingerprint: 'abababababab', tokenJti: 'j1', scopesHeld: ['accounts:read'] });
    expect(JSON.stringify(log.events)).not.toContain('secret.token.value');

    const replaced = memoryAuditLog();
    const big = new RequestAudit(replaced, { traceId: 't3', caller });
    big.operationAnswered({ operationName: 'Big', status: 200, hasData: true, errorCodes: [] });
    big.refused({ code: 'RESPONSE_TOO_LARGE' });
    big.finish(400);
    expect(replaced.events[0]).toMatchObject({ operationName: 'Big', outcome: 'refused', status: 400, code: 'RESPONSE_TOO_LARGE' });
  });
});

describe('an audit row', () => {
  it('holds the columns it is found by and the whole event, with NUL characters replaced', () => {
    const time = new Date('2026-12-01T10:00:00Z');
    expect(auditRowOf({ event: 'request', traceId: 't', subject: 'a\u0000', client: 7, note: 'x\u0000' }, time)).toEqual({
      time,
      event: 'request',
      traceId: 't',
      subject: 'a\uFFFD',
      client: null,
      data: '{"time":"2026-12-01T10:00:00.000Z","event":"request","traceId":"t","subject":"a\\ufffd","client":7,"note":"x\\ufffd"}',
    });
  });
});

describe('the story of a trace', () => {
  it('tells a refused delegation by its code and reason, and a subgraph without decisions by its errors', () => {
    const story = formatAuditStory('t9', [
      { event: 'request', time: 'T', subject: 'bob', client: 'web-app', operationName: 'Q', operationType: 'query', outcome: 'partial', status: 200, denials: 1, durationMs: 3, scopesHeld: ['a'] },
      { event: 'delegation', target: 'inventory', decision: 'refused', code: 'DELEGATION_DENIED', reason: 'client_not_allowed' },
      { event: 'decisions', subgraph: 'legacy', reported: false, decisions: [], denied: [{ path: 'me.email', rule: 'owner', count: 1 }] },
    ]);
    expect(story.split('\n')).toEqual([
      'trace t9',
      '',
      'request  T  bob via web-app',
      '  operation Q (query)',
      '  outcome partial, HTTP 200, 1 denials, 3 ms',
      '  scopes held: a',
      '',
      'inventory',
      '  token    refused: DELEGATION_DENIED (client_not_allowed)',
      '',
      'legacy',
      '  (reported no decisions; its FORBIDDEN errors say:)',
      '  refused  me.email ×1  rule: owner',
    ]);
  });
});
