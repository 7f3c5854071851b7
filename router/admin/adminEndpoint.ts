import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { RefusalError } from '../../lib/errors/RefusalError.js';
import { readJsonBody } from '../../lib/http/readBody.js';
import { writeGraphQLError, writeRefusal, writeUnauthenticated } from '../../lib/http/serveGraphQL.js';
import { InvalidTokenError } from '../../lib/verifyAccessToken.js';
import type { Actor } from '../../registry/registryTypes.js';
import type { AuditEvent, AuditLog } from '../audit/auditLog.js';
import { authenticateAdmin, type AdminPolicy } from './authenticateAdmin.js';

const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** What an admin route reads: the JSON body (POST) and the query string. */
export interface AdminInput {
  body: Record<string, unknown>;
  query: URLSearchParams;
}

/** One admin API route: its method, its audit event (changes and checks are audited, reads are not) and what it does. */
export interface AdminEndpoint {
  method: 'GET' | 'POST';
  event?: string;
  /** Answers the request; fields set on `audit` (subgraph, version...) go into its audit event. */
  run(actor: Actor, input: AdminInput, audit: AuditEvent): Promise<unknown>;
}

/** A 400 BAD_REQUEST naming what the body or query should have been. */
export function badAdminRequest(expected: string): RefusalError {
  return new RefusalError({ status: 400, code: ErrorCode.BAD_REQUEST, message: `expected ${expected}`, name: 'AdminRefusal' });
}

async function inputOf(req: IncomingMessage, method: string): Promise<AdminInput> {
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  if (method !== 'POST') return { body: {}, query };
  // A body too large or not JSON is a RefusalError (BODY_TOO_LARGE, BAD_JSON).
  const body = await readJsonBody(req, BODY_LIMIT_BYTES);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badAdminRequest('a JSON object');
  return { body: body as Record<string, unknown>, query };
}

/**
 * The admin API's one way through a request: method, caller (authenticateAdmin), input, the
 * endpoint's work, then one JSON answer, and one audit event for audited routes, refused or not.
 */
export function adminRoute(endpoint: AdminEndpoint, policy: AdminPolicy, audit: AuditLog) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== endpoint.method) {
      res.setHeader('allow', endpoint.method);
      writeGraphQLError(res, 405, ErrorCode.METHOD_NOT_ALLOWED, `this route answers ${endpoint.method} only`);
      return;
    }
    const event: AuditEvent = { event: endpoint.event ?? 'schema.read' };
    try {
      const actor = await authenticateAdmin(req, policy);
      event.client = actor.clientId;
      const body = await endpoint.run(actor, await inputOf(req, endpoint.method), event);
      if (endpoint.event) audit.write({ ...event, decision: event.decision ?? 'done', status: 200 });
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    } catch (error) {
      if (!(error instanceof RefusalError)) throw error;
      if (endpoint.event) audit.write({ ...event, decision: 'refused', status: error.status, code: error.code });
      if (error instanceof InvalidTokenError) writeUnauthenticated(res, error);
      else writeRefusal(res, error);
    }
  };
}
