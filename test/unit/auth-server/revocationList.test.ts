import { afterEach, describe, expect, it, vi } from 'vitest';
import { RevocationList } from '../../../auth-server/revocation/revocationList.js';

// What the authorization server refuses to exchange once revoked (auth-server/revocation/revocationList.ts).

const token = (claims: Record<string, unknown> = {}, jti = 'token-1', sub = 'alice') => ({ jti, sub, claims: { iat: 1_000, ...claims } });

describe('the revocation list', () => {
  afterEach(() => vi.useRealTimers());

  it('names a revoked token by its jti, a revoked session by its sid, and a claims change by subject and time', () => {
    vi.useFakeTimers({ now: 1_500_000 });
    const list = new RevocationList(3600);
    list.revokeToken('token-1', 5_000);
    list.revokeSession('session-1');
    list.changeClaims('bob');
    expect(list.reasonRevoked(token())).toBe('token_revoked');
    expect(list.reasonRevoked(token({ sid: 'session-1' }, 'token-2'))).toBe('session_revoked');
    expect(list.reasonRevoked(token({ sid: 'session-2' }, 'token-2'))).toBeUndefined();
    // Issued at or before the change (same second included): refused; after it: fine.
    expect(list.reasonRevoked(token({ iat: 1_500 }, 'token-3', 'bob'))).toBe('claims_changed');
    expect(list.reasonRevoked(token({ iat: 1_501 }, 'token-3', 'bob'))).toBeUndefined();
    expect(list.reasonRevoked(token({}, 'token-3', 'carol'))).toBeUndefined();
  });

  it('forgets an entry once no token it covers can still be valid', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const list = new RevocationList(60);
    list.revokeToken('token-1', 1_010);
    list.revokeSession('session-1');
    vi.setSystemTime(1_100_000);
    list.revokeToken('token-9', 9_999);
    expect(list.reasonRevoked(token())).toBeUndefined();
    expect(list.reasonRevoked(token({ sid: 'session-1' }, 'token-2'))).toBeUndefined();
    expect(list.reasonRevoked(token({}, 'token-9'))).toBe('token_revoked');
  });
});
