import { describe, expect, it } from 'vitest';
import { readRevocations } from '../../../../lib/securityEvents/readRevocations.js';
import { SESSION_REVOKED, TOKEN_CLAIMS_CHANGE } from '../../../../lib/securityEvents/caepEvents.js';

const ISSUER = 'http://issuer.test';
const NOW = Math.floor(Date.now() / 1000);
const user = (sub: string, iss = ISSUER) => ({ format: 'iss_sub', iss, sub });
const session = (id: string) => ({ format: 'opaque', id });
const set = (events: unknown, extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: 'deputy-router', iat: NOW, jti: 'set-1', events, ...extra });
const refused = (description: RegExp) => expect.objectContaining({ err: 'invalid_request', status: 400, description: expect.stringMatching(description) });

describe('readRevocations', () => {
  it('reads a session-revoked event about a complex subject as a revocation of that session and user', () => {
    const content = readRevocations(set({ [SESSION_REVOKED]: { subject: { format: 'complex', user: user('alice'), session: session('s1') }, event_timestamp: NOW - 5 } }), ISSUER);
    expect(content).toEqual({ jti: 'set-1', ignored: [], revocations: [{ sub: 'alice', sid: 's1', before: NOW - 5, event: 'session-revoked', jti: 'set-1' }] });
  });

  it("reads a token-claims-change about an iss_sub subject as a revocation of the user's tokens until the event", () => {
    const content = readRevocations(set({ [TOKEN_CLAIMS_CHANGE]: { subject: user('carol'), event_timestamp: NOW - 1 } }), ISSUER);
    expect(content.revocations).toEqual([{ sub: 'carol', before: NOW - 1, event: 'token-claims-change', jti: 'set-1' }]);
  });

  it("takes the SET's sub_id when the event names no subject, and the SET's iat when it has no event_timestamp", () => {
    const content = readRevocations(set({ [SESSION_REVOKED]: {} }, { sub_id: { format: 'complex', session: session('s9') } }), ISSUER);
    expect(content.revocations).toEqual([{ sid: 's9', before: NOW, event: 'session-revoked', jti: 'set-1' }]);
  });

  it('reads an event_timestamp written in milliseconds as the same instant', () => {
    const content = readRevocations(set({ [TOKEN_CLAIMS_CHANGE]: { subject: user('carol'), event_timestamp: (NOW - 2) * 1000 } }), ISSUER);
    expect(content.revocations[0].before).toBe(NOW - 2);
  });

  it('accepts and ignores event types it does not act on (RFC 8935 §2.2)', () => {
    const credentialChange = 'https://schemas.openid.net/secevent/caep/event-type/credential-change';
    const content = readRevocations(set({ [credentialChange]: { subject: user('alice') } }), ISSUER);
    expect(content).toEqual({ jti: 'set-1', revocations: [], ignored: [credentialChange] });
  });

  it.each([
    ['no events', set(undefined), /no events/],
    ['empty events', set({}), /no events/],
    ['events as an array', set([]), /no events/],
    ['an event that is not an object', set({ [SESSION_REVOKED]: 'alice' }), /JSON object/],
    ['no subject at all', set({ [SESSION_REVOKED]: {} }), /no subject/],
    ['a user of another issuer', set({ [TOKEN_CLAIMS_CHANGE]: { subject: user('alice', 'http://elsewhere.test') } }), /another issuer/],
    ['an email subject', set({ [TOKEN_CLAIMS_CHANGE]: { subject: { format: 'email', email: 'alice@example.com' } } }), /not supported/],
    ['a complex subject naming neither user nor session', set({ [SESSION_REVOKED]: { subject: { format: 'complex', device: session('d1') } } }), /neither/],
    ['a session that is not opaque', set({ [SESSION_REVOKED]: { subject: { format: 'complex', session: { format: 'email', email: 'x' } } } }), /opaque/],
    ['an iss_sub without sub', set({ [TOKEN_CLAIMS_CHANGE]: { subject: { format: 'iss_sub', iss: ISSUER } } }), /iss_sub/],
    ['an event_timestamp that is not a number', set({ [TOKEN_CLAIMS_CHANGE]: { subject: user('carol'), event_timestamp: 'yesterday' } }), /NumericDate/],
    ['an event_timestamp in the future', set({ [TOKEN_CLAIMS_CHANGE]: { subject: user('carol'), event_timestamp: NOW + 3600 } }), /future/],
  ])('refuses %s as invalid_request', (_case, payload, description) => {
    expect(() => readRevocations(payload, ISSUER)).toThrow(refused(description));
  });
});
