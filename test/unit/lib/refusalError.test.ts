import { describe, expect, it } from 'vitest';
import { RefusalError, isRefusal } from '../../../lib/errors/RefusalError.js';
import { ErrorCode } from '../../../lib/errors/errorCodes.js';
import { InvalidTokenError } from '../../../lib/tokenRejection.js';
import { delegationDenied, delegationUnavailable, toGraphQLError } from '../../../router/delegation/delegationRefusals.js';
import { brokerRefusal } from '../../../router/broker/brokerRefusal.js';

describe('RefusalError', () => {
  it('carries a status, a code, a reason, details, a name and a cause', () => {
    const cause = new Error('socket hang up');
    const refusal = new RefusalError({ status: 502, code: ErrorCode.TARGET_FAILED, message: 'reviews failed', reason: 'unreachable', details: { rule: 'r' }, name: 'BrokerRefusal', cause });
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({ status: 502, code: 'TARGET_FAILED', reason: 'unreachable', details: { rule: 'r' }, name: 'BrokerRefusal', message: 'reviews failed' });
    expect(refusal.cause).toBe(cause);
    expect(String(refusal)).toBe('BrokerRefusal: reviews failed');
  });

  it('is named RefusalError and has no reason or details unless given', () => {
    const refusal = new RefusalError({ status: 404, code: ErrorCode.NOT_FOUND, message: 'No route /x' });
    expect(refusal.name).toBe('RefusalError');
    expect(refusal.extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it('puts its code, then its reason, then its details in the GraphQL extensions', () => {
    const refusal = brokerRefusal(503, ErrorCode.DELEGATION_UNAVAILABLE, 'down', { reason: 'timeout', retryAfterSeconds: 2 });
    expect(refusal.extensions).toEqual({ code: 'DELEGATION_UNAVAILABLE', reason: 'timeout', retryAfterSeconds: 2 });
    expect(Object.keys(refusal.extensions)).toEqual(['code', 'reason', 'retryAfterSeconds']);
  });

  it('is what an invalid token is: 401 UNAUTHENTICATED with the rejection as its reason and the challenge', () => {
    const error = new InvalidTokenError('token_expired');
    expect(isRefusal(error, ErrorCode.UNAUTHENTICATED)).toBe(true);
    expect(error).toMatchObject({ status: 401, reason: 'token_expired', name: 'InvalidTokenError', description: 'token expired' });
    expect(error.challenge).toBe('Bearer error="invalid_token", error_description="token expired"');
  });

  it('tells delegation refusals apart by code, and turns them into the field error of their subgraph', () => {
    const denied = delegationDenied('inventory', 'policy', "client 'x' may not be served");
    const unavailable = delegationUnavailable('inventory', 'circuit_open');
    expect(isRefusal(denied, ErrorCode.DELEGATION_DENIED)).toBe(true);
    expect(isRefusal(denied, ErrorCode.DELEGATION_UNAVAILABLE)).toBe(false);
    expect(isRefusal(new Error('plain'))).toBe(false);
    expect(denied).toMatchObject({ status: 403, name: 'DelegationDenied' });
    expect(unavailable).toMatchObject({ status: 503, name: 'DelegationUnavailable', reason: 'circuit_open' });
    expect(toGraphQLError(unavailable).extensions).toEqual({ code: 'DELEGATION_UNAVAILABLE', subgraph: 'inventory', reason: 'circuit_open' });
  });
});
