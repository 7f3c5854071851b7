import { randomHex } from '../../lib/randomHex.js';
import type { IncomingMessage } from 'node:http';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** The trace id and parent span id of a W3C `traceparent`, when it is well formed. */
export function parseTraceparent(header: string | undefined): { traceId: string; parentId: string } | undefined {
  const match = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!match || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
  return { traceId: match[1], parentId: match[2] };
}

/** The request's `traceparent` header, when it has exactly one. */
export function traceparentOf(req: IncomingMessage): string | undefined {
  return typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined;
}

/** The trace id of an incoming W3C `traceparent`, or a new random one. */
export function traceIdFrom(traceparent: string | undefined): string {
  return parseTraceparent(traceparent)?.traceId ?? randomHex(16);
}

/** A W3C `traceparent` for one outgoing call of this trace: a fresh span id, sampled. */
export function traceparent(traceId: string): { header: string; spanId: string } {
  const spanId = randomHex(8);
  return { header: `00-${traceId}-${spanId}-01`, spanId };
}
