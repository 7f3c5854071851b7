import type { JWTPayload } from 'jose';
import { revokingEvent } from './caepEvents.js';
import { readSubject } from './readSubject.js';
import { setRefusal } from './securityEventError.js';
import type { Revocation } from './revocation.js';

/** What a verified SET asks of this recipient: revocations, and the event types it does not act on. */
export interface SetContent {
  jti: string;
  revocations: Revocation[];
  /** Event types accepted but ignored (RFC 8935 §2.2: a recipient acknowledges events it does not process). */
  ignored: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * When the event happened, in epoch seconds: its `event_timestamp` (CAEP §2), else the SET's
 * `iat`. Some transmitters wrote milliseconds (an early CAEP example did): a value past the year
 * 5000 in seconds is read as milliseconds. An event in the future beyond the skew is refused.
 */
function eventTime(event: Record<string, unknown>, iat: number, clockToleranceSeconds: number): number {
  const stamp = event.event_timestamp;
  if (stamp === undefined) return iat;
  if (typeof stamp !== 'number' || !Number.isFinite(stamp) || stamp < 0) throw setRefusal('invalid_request', 'event_timestamp must be a NumericDate');
  const seconds = stamp > 1e11 ? stamp / 1000 : stamp;
  if (seconds > Date.now() / 1000 + clockToleranceSeconds) throw setRefusal('invalid_request', 'event_timestamp is in the future');
  return seconds;
}

/**
 * The revocations in a verified SET's `events` (RFC 8417 §2.2): CAEP session-revoked and
 * token-claims-change, each about the event's `subject` or else the SET's `sub_id` (SSF 1.0).
 * Other event types are accepted and ignored; a revoking event that cannot be read is refused
 * (invalid_request) rather than half applied.
 */
export function readRevocations(payload: JWTPayload, issuer: string, clockToleranceSeconds = 5): SetContent {
  const { events } = payload;
  if (!isObject(events) || Object.keys(events).length === 0) throw setRefusal('invalid_request', 'the SET has no events');
  const jti = String(payload.jti);
  const revocations: Revocation[] = [];
  const ignored: string[] = [];
  for (const [type, event] of Object.entries(events)) {
    const name = revokingEvent(type);
    if (!name) {
      ignored.push(type);
      continue;
    }
    if (!isObject(event)) throw setRefusal('invalid_request', `the ${name} event must be a JSON object`);
    const subject = readSubject(event.subject ?? payload.sub_id, issuer);
    revocations.push({ ...subject, before: eventTime(event, Number(payload.iat), clockToleranceSeconds), event: name, jti });
  }
  return { jti, revocations, ignored };
}
