import { brokerRefusal } from './brokerRefusal.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';

/** A POST /delegate body: act with `subjectToken` toward `target`, with `scopes`, sending `request`. */
export interface DelegateRequest {
  /** The user token the calling service received (its own audience). */
  subjectToken: string;
  target: string;
  scopes: string[];
  /** The GraphQL operation to send to the target. */
  request: { query: string; variables?: Record<string, unknown>; operationName?: string };
  /** The caller's field that needs this call, as a path in its own response (for the trace). */
  field?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the body's shape; anything off is 400 BAD_REQUEST naming the field. */
export function readDelegateRequest(body: unknown): DelegateRequest {
  const bad = (field: string) => brokerRefusal(400, ErrorCode.BAD_REQUEST, `/delegate body: ${field}`);
  if (!isRecord(body)) throw bad('expected a JSON object');
  if (typeof body.subjectToken !== 'string' || body.subjectToken === '') throw bad('subjectToken must be the user token you received');
  if (typeof body.target !== 'string' || body.target === '') throw bad('target must name a service');
  if (!Array.isArray(body.scopes) || !body.scopes.every((scope) => typeof scope === 'string')) throw bad('scopes must be an array of strings');
  const request = body.request;
  if (!isRecord(request) || typeof request.query !== 'string') throw bad('request.query must be a GraphQL operation');
  if (request.variables !== undefined && !isRecord(request.variables)) throw bad('request.variables must be an object');
  if (body.field !== undefined && typeof body.field !== 'string') throw bad('field must be a string');
  return {
    subjectToken: body.subjectToken,
    target: body.target,
    scopes: [...new Set(body.scopes as string[])].sort(),
    request: {
      query: request.query,
      variables: request.variables as Record<string, unknown> | undefined,
      operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
    },
    field: body.field as string | undefined,
  };
}
