import { setRefusal } from './securityEventError.js';

/** Who an event is about, as tokens name them: the issuer's `sub` and the session's `sid`. */
export interface EventSubject {
  sub?: string;
  sid?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** RFC 9493 §3.2.4 iss_sub: a user of this issuer (a user of another issuer is none of our tokens' subjects). */
function userOf(identifier: unknown, issuer: string): string {
  if (!isObject(identifier) || identifier.format !== 'iss_sub' || !nonEmpty(identifier.iss) || !nonEmpty(identifier.sub)) {
    throw setRefusal('invalid_request', 'the subject user must be an iss_sub identifier with iss and sub');
  }
  if (identifier.iss !== issuer) throw setRefusal('invalid_request', "the subject user belongs to another issuer than the SET's");
  return identifier.sub;
}

/** A session as SSF names it in a complex subject: an opaque identifier, the tokens' `sid`. */
function sessionOf(identifier: unknown): string {
  if (!isObject(identifier) || identifier.format !== 'opaque' || !nonEmpty(identifier.id)) {
    throw setRefusal('invalid_request', 'the subject session must be an opaque identifier with an id');
  }
  return identifier.id;
}

/**
 * The user and session an event's subject names: an `iss_sub` identifier (RFC 9493 §3.2.4), or
 * an SSF `complex` one with a `user` (iss_sub) and/or a `session` (opaque: the tokens' `sid`).
 * Any other subject names nothing a token here carries: refused (invalid_request), so that the
 * transmitter knows nothing was revoked.
 */
export function readSubject(subject: unknown, issuer: string): EventSubject {
  if (!isObject(subject)) throw setRefusal('invalid_request', 'the event has no subject (subject or sub_id)');
  if (subject.format === 'iss_sub') return { sub: userOf(subject, issuer) };
  if (subject.format !== 'complex') throw setRefusal('invalid_request', `subject format ${JSON.stringify(String(subject.format)).slice(0, 40)} is not supported (iss_sub or complex)`);
  const named: EventSubject = {
    ...(subject.user === undefined ? {} : { sub: userOf(subject.user, issuer) }),
    ...(subject.session === undefined ? {} : { sid: sessionOf(subject.session) }),
  };
  if (named.sub === undefined && named.sid === undefined) throw setRefusal('invalid_request', 'the complex subject names neither a user nor a session');
  return named;
}
