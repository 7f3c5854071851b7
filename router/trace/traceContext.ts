import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** The trace id of an incoming W3C `traceparent`, or a new random one. */
export function traceIdFrom(traceparent: string | undefined): string {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (match && !/^0+$/.test(match[1])) return match[1];
  return randomBytes(16).toString('hex');
}

/** A W3C `traceparent` for one outgoing call of this trace (a fresh span id, sampled). */
export function traceparent(traceId: string): string {
  return `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
}
