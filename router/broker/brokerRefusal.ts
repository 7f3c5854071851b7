import { RefusalError } from '../../lib/errors/RefusalError.js';
import type { ErrorCodeValue } from '../../lib/errors/errorCodes.js';

/** What a /delegate refusal may tell the caller beside its code: the rule, the reason, when to retry, the limit. */
export interface BrokerRefusalExtensions {
  reason?: string;
  rule?: string;
  retryAfterSeconds?: number;
  limit?: number;
  cost?: number;
}

/** A refused or failed /delegate call: an HTTP status, a stable code, and for policy denials the rule. */
export function brokerRefusal(status: 400 | 401 | 403 | 404 | 502 | 503, code: ErrorCodeValue, message: string, extensions: BrokerRefusalExtensions = {}, cause?: unknown): RefusalError {
  const { reason, ...details } = extensions;
  return new RefusalError({ status, code, message, reason, details, name: 'BrokerRefusal', cause });
}
