import { describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { generateSigningJwks, publicJwksOf } from '../../../auth-server/signingKeys.js';
import { createSetSigner } from '../../../auth-server/securityEvents/signSecurityEvent.js';
import { subjectOf } from '../../../auth-server/securityEvents/subjectIdentifier.js';
import { SESSION_REVOKED } from '../../../auth-server/securityEvents/eventTypes.js';

// The SET format (RFC 8417, OpenID SSF 1.0, CAEP 1.0), as receivers verify it.

const ISSUER = 'http://127.0.0.1:4010';

describe('a signed security event', () => {
  it('is an ES256 JWS typed secevent+jwt, signed by the first key of the published JWKS, with iss, aud, iat, jti, txn and events, and no exp', async () => {
    const jwks = await generateSigningJwks();
    const rotated = { keys: [...(await generateSigningJwks()).keys, ...jwks.keys] };
    const sign = createSetSigner(ISSUER, rotated);
    const { set, jti } = await sign({ type: SESSION_REVOKED, subject: subjectOf(ISSUER, 'alice', 'sid-1'), timestamp: 1_700_000_000 }, 'deputy-router', 'txn-1');

    const { payload, protectedHeader } = await jwtVerify(set, createLocalJWKSet(publicJwksOf(rotated)), { issuer: ISSUER, audience: 'deputy-router', typ: 'secevent+jwt', algorithms: ['ES256'] });
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'secevent+jwt', kid: (rotated.keys[0] as { kid: string }).kid });
    expect(payload).toEqual({
      iss: ISSUER,
      aud: 'deputy-router',
      iat: expect.any(Number),
      jti,
      txn: 'txn-1',
      events: {
        [SESSION_REVOKED]: {
          subject: { format: 'complex', user: { format: 'iss_sub', iss: ISSUER, sub: 'alice' }, session: { format: 'opaque', id: 'sid-1' } },
          event_timestamp: 1_700_000_000,
        },
      },
    });
  });

  it('names the subject alone when no session is known, and gives each SET its own jti', async () => {
    const sign = createSetSigner(ISSUER, await generateSigningJwks());
    const event = { type: SESSION_REVOKED, subject: subjectOf(ISSUER, 'deputy-router'), timestamp: 1 };
    const [first, second] = await Promise.all([sign(event, 'a', 't'), sign(event, 'b', 't')]);
    expect(first.jti).not.toBe(second.jti);
    expect(decodeProtectedHeader(first.set).typ).toBe('secevent+jwt');
    const payload = JSON.parse(Buffer.from(first.set.split('.')[1], 'base64url').toString()) as { events: Record<string, { subject: unknown }> };
    expect(payload.events[SESSION_REVOKED].subject).toEqual({ format: 'iss_sub', iss: ISSUER, sub: 'deputy-router' });
  });

  it('refuses a JWKS without a signing key of the issuer algorithm', () => {
    expect(() => createSetSigner(ISSUER, { keys: [{ kty: 'RSA', alg: 'RS256', n: 'x', e: 'AQAB' }] })).toThrow(/no ES256 signing key/);
  });
});
