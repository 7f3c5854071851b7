import { brokerRefusal } from './brokerRefusal.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';

/** A GraphQL operation to send to the target. */
export interface DelegateOperation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/**
 * A POST /delegate body: act with `subjectToken` toward `target`, with `scopes`, sending one
 * operation (`request`, with `field`) or a batch of them (`requests`, each with its `field`).
 */
export interface DelegateRequest {
  /** The user token the calling service received (its own audience). */
  subjectToken: string;
  target: string;
  scopes: string[];
  /** The operations to send, each with the caller's field that needs it (a path in its own response, for the trace). */
  operations: { request: DelegateOperation; field?: string }[];
  /** The body used `requests`: the answer is `{ results: [{ status, body }, ...] }`, in the same order. */
  batch: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the body's shape; anything off is 400 BAD_REQUEST naming the field, a batch over `maxBatchSize` is 400 BATCH_TOO_LARGE. */
export function readDelegateRequest(body: unknown, maxBatchSize: number): DelegateRequest {
  const bad = (field: string) => brokerRefusal(400, ErrorCode.BAD_REQUEST, `/delegate body: ${field}`);
  if (!isRecord(body)) throw bad('expected a JSON object');
  if (typeof body.subjectToken !== 'string' || body.subjectToken === '') throw bad('subjectToken must be the user token you received');
  if (typeof body.target !== 'string' || body.target === '') throw bad('target must name a service');
  if (!Array.isArray(body.scopes) || !body.scopes.every((scope) => typeof scope === 'string')) throw bad('scopes must be an array of strings');
  if ((body.request === undefined) === (body.requests === undefined)) throw bad('send either request (one operation) or requests (a batch)');
  const batch = body.requests !== undefined;
  if (batch && (!Array.isArray(body.requests) || body.requests.length === 0)) throw bad('requests must be a non-empty array of operations');
  const entries = batch ? (body.requests as unknown[]) : [{ ...(isRecord(body.request) ? body.request : { query: undefined }), field: body.field }];
  if (entries.length > maxBatchSize) {
    throw brokerRefusal(400, ErrorCode.BATCH_TOO_LARGE, `/delegate accepts at most ${maxBatchSize} operations per request; the batch has ${entries.length}`, { limit: maxBatchSize });
  }
  const where = (i: number) => (batch ? `requests[${i}]` : 'request');
  const operations = entries.map((entry, i) => {
    if (!isRecord(entry) || typeof entry.query !== 'string') throw bad(`${where(i)}.query must be a GraphQL operation`);
    if (entry.variables !== undefined && !isRecord(entry.variables)) throw bad(`${where(i)}.variables must be an object`);
    if (entry.field !== undefined && typeof entry.field !== 'string') throw bad(batch ? `${where(i)}.field must be a string` : 'field must be a string');
    return {
      request: {
        query: entry.query,
        variables: entry.variables as Record<string, unknown> | undefined,
        operationName: typeof entry.operationName === 'string' ? entry.operationName : undefined,
      },
      field: entry.field as string | undefined,
    };
  });
  return { subjectToken: body.subjectToken, target: body.target, scopes: [...new Set(body.scopes as string[])].sort(), operations, batch };
}
