import { SecurityEventError, setRefusal, type SetErrorCode } from './securityEventError.js';
import { verifySecurityEvent, type SecurityEventPolicy } from './verifySecurityEvent.js';
import { readRevocations } from './readRevocations.js';
import type { Revocation } from './revocation.js';

/** RFC 8935 §2.1: the media type of a pushed SET. */
export const SET_MEDIA_TYPE = 'application/secevent+jwt';

/** One delivery as it arrived, whatever the HTTP server: its method, content type and a bounded body reader. */
export interface SetDelivery {
  method: string;
  contentType: string | null | undefined;
  /** Reads the body; rejects with a SecurityEventError (413) past the size limit. */
  readBody(): Promise<string>;
}

/**
 * How a delivery ended: `applied` (something was revoked), `duplicate` (it revoked nothing new:
 * a replay, or known already), `ignored` (only event types not acted on), an RFC 8935 §2.4 code,
 * or `unavailable` (the issuer's keys could not be had).
 */
export type DeliveryOutcome = 'applied' | 'duplicate' | 'ignored' | SetErrorCode | 'unavailable';

/** What a receiver reports of a delivery, never the SET itself. */
export interface DeliveryReport {
  outcome: DeliveryOutcome;
  jti?: string;
  /** The revocations that changed the recipient's state. */
  applied: Revocation[];
  description?: string;
}

/** What a receiver checks SETs against, what it does with their revocations, and whom it tells. */
export interface SetReceiverOptions {
  policy: SecurityEventPolicy;
  /** Applies one revocation; true when it changed anything (false: already known). The answer waits for it. */
  apply(revocation: Revocation): boolean | Promise<boolean>;
  /** Told how each delivery ended (metrics, audit). */
  observe?(report: DeliveryReport): void;
}

/** The HTTP answer to a delivery. */
export interface SetAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Whether a Content-Type header names the SET media type (parameters aside). */
function isSetMediaType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === SET_MEDIA_TYPE;
}

function failure(error: SecurityEventError): SetAnswer {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.status === 405) headers.allow = 'POST';
  if (error.status === 503) headers['retry-after'] = '5';
  // RFC 8935 §2.3: {"err", "description"}; a general HTTP condition carries a description only.
  const body = error.err === undefined ? { description: error.description } : { err: error.err, description: error.description };
  return { status: error.status, headers, body: JSON.stringify(body) };
}

/**
 * One push delivery (RFC 8935 §2), in order: POST only (405), the `application/secevent+jwt`
 * content type, the body within its bound (413), the SET verified (verifySecurityEvent), its
 * CAEP events read (readRevocations) and applied. Answers 202 on success, a replay included
 * (applying is idempotent, so it changes nothing twice), and 400 with `err` and `description`
 * (§2.3) otherwise.
 */
export async function receiveSecurityEvent(delivery: SetDelivery, options: SetReceiverOptions): Promise<SetAnswer> {
  let report: DeliveryReport = { outcome: 'invalid_request', applied: [] };
  try {
    if (delivery.method !== 'POST') throw new SecurityEventError('invalid_request', 'SETs are delivered with POST', 405);
    if (!isSetMediaType(delivery.contentType)) throw setRefusal('invalid_request', `the content type must be ${SET_MEDIA_TYPE}`);
    const set = (await delivery.readBody()).trim();
    const payload = await verifySecurityEvent(set, options.policy);
    const content = readRevocations(payload, options.policy.issuer, options.policy.clockToleranceSeconds);
    const applied: Revocation[] = [];
    for (const revocation of content.revocations) if (await options.apply(revocation)) applied.push(revocation);
    const outcome = content.revocations.length === 0 ? 'ignored' : applied.length > 0 ? 'applied' : 'duplicate';
    report = { outcome, jti: content.jti, applied };
    return { status: 202, headers: {}, body: '' };
  } catch (error) {
    if (!(error instanceof SecurityEventError)) throw error;
    report = { outcome: error.err ?? 'unavailable', applied: [], description: error.description };
    return failure(error);
  } finally {
    options.observe?.(report);
  }
}
