import { describe, expect, it } from 'vitest';
import { checkDelegation, type DelegationAcceptance } from '../../../lib/checkDelegation.js';
import { InvalidTokenError, type VerifiedToken } from '../../../lib/verifyAccessToken.js';

const token = (fields: Partial<VerifiedToken>): VerifiedToken => ({ sub: 'alice', clientId: 'deputy-router', scopes: [], exp: 0, jti: 'j', claims: {}, ...fields });
const reason = (verified: VerifiedToken, acceptance: DelegationAcceptance) => {
  try {
    checkDelegation(verified, acceptance);
    return 'accepted';
  } catch (error) {
    return (error as InvalidTokenError).reason;
  }
};

describe('checkDelegation for issuers that state no act chain', () => {
  const embedded: DelegationAcceptance = { actors: ['deputy-router'], servicesAsThemselves: [] };
  const vendor: DelegationAcceptance = { ...embedded, clientIsActor: true };

  it('refuses a token without act as not_delegated by default, even when the router is its client', () => {
    expect(reason(token({}), embedded)).toBe('not_delegated');
  });

  it('takes the client a token was issued to as its actor under clientIsActor', () => {
    expect(reason(token({}), vendor)).toBe('accepted');
  });

  it('still refuses, under clientIsActor, a client it does not accept (actor_not_allowed) and a client acting as itself (not_delegated)', () => {
    expect(reason(token({ clientId: 'web-app' }), vendor)).toBe('actor_not_allowed');
    expect(reason(token({ sub: 'deputy-router' }), vendor)).toBe('not_delegated');
  });

  it('reads a stated act chain first: an act naming another actor is refused even if the client is accepted', () => {
    expect(reason(token({ act: { sub: 'someone-else' } }), vendor)).toBe('actor_not_allowed');
  });
});
