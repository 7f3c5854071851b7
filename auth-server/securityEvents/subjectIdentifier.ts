/** RFC 9493 `iss_sub`: a subject named by its issuer and `sub`. */
export interface IssSubIdentifier {
  format: 'iss_sub';
  iss: string;
  sub: string;
}

/** SSF 1.0 §3.2 complex subject: the user, and the session (its `sid`, an `opaque` identifier) the event is about. */
export interface ComplexSubject {
  format: 'complex';
  user: IssSubIdentifier;
  session: { format: 'opaque'; id: string };
}

/** The subject of an event this server transmits. */
export type EventSubject = IssSubIdentifier | ComplexSubject;

/**
 * The subject for `sub` at `iss`: with a session id, a complex subject naming that session, so a
 * receiver can refuse exactly that session's tokens; without one, the subject alone.
 */
export function subjectOf(iss: string, sub: string, sid?: string): EventSubject {
  const user: IssSubIdentifier = { format: 'iss_sub', iss, sub };
  return sid ? { format: 'complex', user, session: { format: 'opaque', id: sid } } : user;
}
