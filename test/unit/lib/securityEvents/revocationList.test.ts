import { describe, expect, it, vi } from 'vitest';
import { RevocationList } from '../../../../lib/securityEvents/revocationList.js';
import { revokes, type Revocation } from '../../../../lib/securityEvents/revocation.js';

const NOW = 1_800_000_000;
const token = (sub: string, iat: number, sid?: string) => ({ sub, claims: { sub, iat, ...(sid === undefined ? {} : { sid }) } });
const list = (options: Partial<ConstructorParameters<typeof RevocationList>[0]> = {}) => new RevocationList({ maxTokenLifetimeSeconds: 3600, clockToleranceSeconds: 5, ...options });
const sessionRevoked = (extra: Partial<Revocation> = {}): Revocation => ({ sub: 'alice', sid: 's1', before: NOW, event: 'session-revoked', jti: 'set-1', ...extra });

describe('RevocationList', () => {
  it("revokes a session's tokens issued at or before the event, and none issued after", () => {
    const revocations = list();
    revocations.record(sessionRevoked(), NOW);
    expect(revocations.isRevoked(token('alice', NOW - 60, 's1'), NOW)).toBe(true);
    expect(revocations.isRevoked(token('alice', NOW, 's1'), NOW)).toBe(true);
    expect(revocations.isRevoked(token('alice', NOW + 1, 's1'), NOW)).toBe(false);
  });

  it("leaves the user's other sessions and other users alone", () => {
    const revocations = list();
    revocations.record(sessionRevoked(), NOW);
    expect(revocations.isRevoked(token('alice', NOW - 60, 's2'), NOW)).toBe(false);
    expect(revocations.isRevoked(token('bob', NOW - 60, 's1b'), NOW)).toBe(false);
    expect(revocations.isRevoked(token('bob', NOW - 60), NOW)).toBe(false);
  });

  it("revokes the named user's tokens that carry no session id, which cannot be told apart from the session's", () => {
    const revocations = list();
    revocations.record(sessionRevoked(), NOW);
    expect(revocations.isRevoked(token('alice', NOW - 60), NOW)).toBe(true);
    // A session revocation that names no user cannot reach tokens without a session id.
    const bySessionOnly = list();
    bySessionOnly.record(sessionRevoked({ sub: undefined }), NOW);
    expect(bySessionOnly.isRevoked(token('alice', NOW - 60), NOW)).toBe(false);
    expect(bySessionOnly.isRevoked(token('alice', NOW - 60, 's1'), NOW)).toBe(true);
  });

  it("revokes every earlier token of a user whose claims changed, whatever their session", () => {
    const revocations = list();
    revocations.record({ sub: 'carol', before: NOW, event: 'token-claims-change', jti: 'set-2' }, NOW);
    expect(revocations.isRevoked(token('carol', NOW - 1, 'any'), NOW)).toBe(true);
    expect(revocations.isRevoked(token('carol', NOW - 1), NOW)).toBe(true);
    expect(revocations.isRevoked(token('carol', NOW + 1), NOW)).toBe(false);
  });

  it('counts a token without iat as issued before any revocation of its user', () => {
    const revocations = list();
    revocations.record({ sub: 'carol', before: NOW, event: 'token-claims-change', jti: 'set-2' }, NOW);
    expect(revocations.isRevoked({ sub: 'carol', claims: { sub: 'carol' } }, NOW)).toBe(true);
  });

  it("matches the issuer's sub claim, not the profile's subject", () => {
    const revocations = list();
    revocations.record({ sub: 'issuer-sub', before: NOW, event: 'token-claims-change', jti: 'set-3' }, NOW);
    expect(revocations.isRevoked({ sub: 'object-id', claims: { sub: 'issuer-sub', iat: NOW - 1 } }, NOW)).toBe(true);
  });

  it('records a replay or an older event without any change, and tells listeners only of changes', () => {
    const revocations = list();
    const heard = vi.fn();
    revocations.onRevoke(heard);
    expect(revocations.record(sessionRevoked(), NOW)).toBe(true);
    expect(revocations.record(sessionRevoked(), NOW)).toBe(false);
    expect(revocations.record(sessionRevoked({ jti: 'older', before: NOW - 10 }), NOW)).toBe(false);
    expect(revocations.record(sessionRevoked({ jti: 'later', before: NOW + 2 }), NOW)).toBe(true);
    expect(heard.mock.calls.map(([revocation]) => revocation.jti)).toEqual(['set-1', 'later']);
  });

  it('forgets a revocation once every token it names has expired, and ignores one that has lapsed already', () => {
    const revocations = list();
    revocations.record(sessionRevoked(), NOW);
    expect(revocations.isRevoked(token('alice', NOW - 1, 's1'), NOW + 3600 + 4)).toBe(true);
    expect(revocations.isRevoked(token('alice', NOW - 1, 's1'), NOW + 3600 + 6)).toBe(false);
    expect(revocations.record(sessionRevoked({ before: NOW - 4000 }), NOW)).toBe(false);
  });

  it('holds at most maxEntries, forgetting the oldest first and counting them', () => {
    const revocations = list({ maxEntries: 2 });
    for (const sub of ['a', 'b', 'c']) revocations.record({ sub, before: NOW, event: 'token-claims-change', jti: sub }, NOW);
    expect(revocations.size).toBe(2);
    expect(revocations.dropped).toBe(1);
    expect(revocations.isRevoked(token('a', NOW - 1), NOW)).toBe(false);
    expect(revocations.isRevoked(token('c', NOW - 1), NOW)).toBe(true);
  });

  it('tells caches which entries a revocation names with the same rule (revokes)', () => {
    const revocation = sessionRevoked();
    expect(revokes(revocation, token('alice', NOW - 1, 's1'))).toBe(true);
    expect(revokes(revocation, token('alice', NOW - 1))).toBe(true);
    expect(revokes(revocation, token('alice', NOW - 1, 's2'))).toBe(false);
    expect(revokes(revocation, token('alice', NOW + 1, 's1'))).toBe(false);
  });
});
