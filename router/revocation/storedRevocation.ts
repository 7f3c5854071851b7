import { REVOKING_EVENTS, type RevocationEvent } from '../../lib/securityEvents/caepEvents.js';
import type { Revocation } from '../../lib/securityEvents/revocation.js';

const EVENTS = new Set<string>(Object.values(REVOKING_EVENTS));
const optionalString = (value: unknown) => value === undefined || (typeof value === 'string' && value !== '');

/** A revocation as another instance stored or announced it (JSON), or undefined when it is not one. */
export function readStoredRevocation(value: unknown): Revocation | undefined {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { sub, sid, before, event, jti } = parsed as Record<string, unknown>;
  if (!optionalString(sub) || !optionalString(sid) || (sub === undefined && sid === undefined)) return undefined;
  if (typeof before !== 'number' || !Number.isFinite(before) || typeof event !== 'string' || !EVENTS.has(event) || typeof jti !== 'string') return undefined;
  return { ...(sub === undefined ? {} : { sub: sub as string }), ...(sid === undefined ? {} : { sid: sid as string }), before, event: event as RevocationEvent, jti };
}
