import { describe, expect, it, vi } from 'vitest';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, errors as joseErrors, type JWTPayload } from 'jose';
import { receiveSecurityEvent, type DeliveryReport, type SetDelivery } from '../../../../lib/securityEvents/receiveSecurityEvent.js';
import { SecurityEventError } from '../../../../lib/securityEvents/securityEventError.js';
import type { SecurityEventPolicy } from '../../../../lib/securityEvents/verifySecurityEvent.js';
import { RevocationList } from '../../../../lib/securityEvents/revocationList.js';
import { SESSION_REVOKED } from '../../../../lib/securityEvents/caepEvents.js';

// Unit test: a local key pair stands in for the issuer; deliveries are plain objects, no socket.

const ISSUER = 'http://issuer.test';
const { publicKey, privateKey } = await generateKeyPair('ES256');
const other = await generateKeyPair('ES256');
const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] });
const POLICY: SecurityEventPolicy = { issuer: ISSUER, audience: 'deputy-router', keys, algorithms: ['ES256'], clockToleranceSeconds: 5 };
const now = () => Math.floor(Date.now() / 1000);

const revokedSession = { [SESSION_REVOKED]: { subject: { format: 'complex', user: { format: 'iss_sub', iss: ISSUER, sub: 'alice' }, session: { format: 'opaque', id: 's1' } } } };

/** A SET as the issuer signs one, with `claims` replacing its claims (undefined removes one) and `header` its header. */
async function set(claims: JWTPayload = {}, header: Record<string, unknown> = {}, key: CryptoKey = privateKey): Promise<string> {
  const payload: JWTPayload = { iss: ISSUER, aud: 'deputy-router', iat: now(), jti: crypto.randomUUID(), events: revokedSession, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'secevent+jwt', ...header }).sign(key);
}

const delivery = (body: string, contentType: string | null = 'application/secevent+jwt', method = 'POST'): SetDelivery => ({ method, contentType, readBody: async () => body });

function receiver(policy: SecurityEventPolicy = POLICY) {
  const revocations = new RevocationList({ maxTokenLifetimeSeconds: 3600 });
  const reports: DeliveryReport[] = [];
  const receive = (d: SetDelivery) => receiveSecurityEvent(d, { policy, apply: (revocation) => revocations.record(revocation), observe: (report) => reports.push(report) });
  return { revocations, reports, receive };
}

describe('receiveSecurityEvent (RFC 8935 push)', () => {
  it("answers 202 to a valid SET and applies its revocation; a replay is 202 again and changes nothing", async () => {
    const { revocations, reports, receive } = receiver();
    const body = await set();
    expect(await receive(delivery(body))).toEqual({ status: 202, headers: {}, body: '' });
    expect(revocations.isRevoked({ sub: 'alice', claims: { sid: 's1', iat: now() - 10 } })).toBe(true);
    expect(await receive(delivery(body))).toMatchObject({ status: 202 });
    expect(reports.map((report) => [report.outcome, report.applied.length])).toEqual([['applied', 1], ['duplicate', 0]]);
  });

  it('accepts the content type with parameters and the typ spelled as a media type', async () => {
    const { receive } = receiver();
    expect(await receive(delivery(await set({}, { typ: 'application/secevent+jwt' }), 'application/secevent+jwt; charset=utf-8'))).toMatchObject({ status: 202 });
  });

  it('acknowledges a SET holding only event types it does not act on, as ignored', async () => {
    const { receive, reports } = receiver();
    const response = await receive(delivery(await set({ events: { 'https://schemas.openid.net/secevent/caep/event-type/device-compliance-change': {} } })));
    expect(response.status).toBe(202);
    expect(reports[0].outcome).toBe('ignored');
  });

  it.each<[string, () => Promise<SetDelivery>, number, string | undefined]>([
    ['a GET', async () => delivery(await set(), null, 'GET'), 405, 'invalid_request'],
    ['another content type', async () => delivery(await set(), 'application/jwt'), 400, 'invalid_request'],
    ['no content type', async () => delivery(await set(), null), 400, 'invalid_request'],
    ['an oversized body', async () => ({ method: 'POST', contentType: 'application/secevent+jwt', readBody: () => Promise.reject(new SecurityEventError('invalid_request', 'too large', 413)) }), 413, 'invalid_request'],
    ['a body that is not a JWT', async () => delivery('not a jwt'), 400, 'invalid_request'],
    ['an access token instead of a SET (typ at+jwt)', async () => delivery(await set({}, { typ: 'at+jwt' })), 400, 'invalid_request'],
    ['a SET without typ', async () => delivery(await set({}, { typ: undefined })), 400, 'invalid_request'],
    ['a SET signed with another key', async () => delivery(await set({}, {}, other.privateKey)), 400, 'invalid_key'],
    ['a SET with an unknown kid', async () => delivery(await set({}, { kid: 'k2' })), 400, 'invalid_key'],
    ['a SET from another issuer', async () => delivery(await set({ iss: 'http://elsewhere.test' })), 400, 'invalid_issuer'],
    ['a SET for another audience', async () => delivery(await set({ aud: 'inventory' })), 400, 'invalid_audience'],
    ['a SET without jti', async () => delivery(await set({ jti: undefined })), 400, 'invalid_request'],
    ['a SET without iat', async () => delivery(await set({ iat: undefined })), 400, 'invalid_request'],
    ['a SET issued in the future', async () => delivery(await set({ iat: now() + 600 })), 400, 'invalid_request'],
    ['an expired SET', async () => delivery(await set({ exp: now() - 600 })), 400, 'invalid_request'],
    ['a SET without events', async () => delivery(await set({ events: undefined })), 400, 'invalid_request'],
  ])('refuses %s with its status and err', async (_case, make, status, err) => {
    const { receive, reports, revocations } = receiver();
    const response = await receive(await make());
    expect(response).toMatchObject({ status, headers: expect.objectContaining({ 'content-type': 'application/json' }) });
    expect(JSON.parse(response.body)).toEqual({ err, description: expect.any(String) });
    expect(reports[0].outcome).toBe(err);
    expect(revocations.size).toBe(0);
  });

  it('answers 405 with Allow: POST', async () => {
    const { receive } = receiver();
    expect((await receive(delivery('', null, 'PUT'))).headers).toMatchObject({ allow: 'POST' });
  });

  it("answers 503 with Retry-After, and no RFC 8935 code, when the issuer's keys cannot be fetched", async () => {
    const { receive, reports } = receiver({ ...POLICY, keys: async () => Promise.reject(new joseErrors.JWKSTimeout()) });
    const response = await receive(delivery(await set()));
    expect(response).toMatchObject({ status: 503, headers: expect.objectContaining({ 'retry-after': '5' }) });
    expect(JSON.parse(response.body)).toEqual({ description: expect.stringMatching(/keys are unavailable/) });
    expect(reports[0].outcome).toBe('unavailable');
  });

  it('never quotes the SET in an answer', async () => {
    const { receive } = receiver();
    const body = await set({ aud: 'inventory' });
    const answers = await Promise.all([receive(delivery(body)), receive(delivery(body.slice(0, -5)))]);
    for (const answer of answers) for (const part of body.split('.')) expect(answer.body).not.toContain(part.slice(0, 16));
  });

  it('waits for an asynchronous apply before answering', async () => {
    const apply = vi.fn(async () => true);
    const response = await receiveSecurityEvent(delivery(await set()), { policy: POLICY, apply });
    expect(response.status).toBe(202);
    expect(apply).toHaveBeenCalledWith(expect.objectContaining({ sub: 'alice', sid: 's1', event: 'session-revoked' }));
  });
});
