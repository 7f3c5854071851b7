import { RefusalError } from '../lib/errors/RefusalError.js';
import type { ErrorCodeValue } from '../lib/errors/errorCodes.js';

/** A registry refusal: its status, stable code, message and details for the team (`extensions`). */
export function registryRefusal(status: number, code: ErrorCodeValue, message: string, details?: Record<string, unknown>, reason?: string): RefusalError {
  return new RefusalError({ status, code, message, details, reason, name: 'RegistryRefusal' });
}
