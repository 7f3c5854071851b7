import { describe, expect, it } from 'vitest';
import { readStoredRevocation } from '../../../router/revocation/storedRevocation.js';

// What another instance stored or announced is read back only when it is a revocation.

const REVOCATION = { sub: 'alice', sid: 's1', before: 1_800_000_000, event: 'session-revoked', jti: 'set-1' };

describe('readStoredRevocation', () => {
  it('reads a revocation from its JSON or from the parsed value', () => {
    expect(readStoredRevocation(JSON.stringify(REVOCATION))).toEqual(REVOCATION);
    expect(readStoredRevocation({ sid: 's1', before: 1, event: 'session-revoked', jti: 'j' })).toEqual({ sid: 's1', before: 1, event: 'session-revoked', jti: 'j' });
  });

  it.each([
    ['not JSON', '{'],
    ['null', 'null'],
    ['neither user nor session', { before: 1, event: 'session-revoked', jti: 'j' }],
    ['an empty user', { ...REVOCATION, sub: '' }],
    ['a user that is not a string', { ...REVOCATION, sub: 7 }],
    ['a time that is not a number', { ...REVOCATION, before: '1' }],
    ['an infinite time', { ...REVOCATION, before: Number.POSITIVE_INFINITY }],
    ['another event', { ...REVOCATION, event: 'credential-change' }],
    ['no jti', { ...REVOCATION, jti: undefined }],
  ])('refuses %s', (_case, value) => {
    expect(readStoredRevocation(value)).toBeUndefined();
  });
});
