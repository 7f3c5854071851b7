import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from '../../lib/http/readBody.js';
import { RefusalError } from '../../lib/errors/RefusalError.js';
import { ErrorCode, type ErrorCodeValue } from '../../lib/errors/errorCodes.js';
import { bearerToken } from '../../lib/http/bearerToken.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy } from '../../lib/verifyAccessToken.js';
import type { AuditEvent, AuditLog } from '../audit/auditLog.js';
import type { SchemaManager } from './schemaManager.js';
import type { CompositionThread } from '../../registry/compose/compositionThread.js';
import { own } from '../../lib/own.js';

/** Who may publish: tokens for the admin audience with the publish scope, from a team client. */
export interface PublishPolicy {
  token: AccessTokenPolicy;
  scope: string;
  /** Team client id → the one subgraph it owns. Default: `<subgraph>-team` owns `<subgraph>`. */
  teams: Record<string, string>;
}

/** A refused publish: its status, code and details for the team. */
function refusePublish(status: number, code: ErrorCodeValue, message: string, more: { details?: Record<string, unknown> } = {}): RefusalError {
  return new RefusalError({ status, code, message, ...more, name: 'PublishRefusal' });
}

function ownedSubgraph(policy: PublishPolicy, clientId: string): string | undefined {
  return own(policy.teams, clientId) ?? (clientId.endsWith('-team') ? clientId.slice(0, -'-team'.length) : undefined);
}

async function authenticateTeam(req: IncomingMessage, policy: PublishPolicy): Promise<{ clientId: string; subgraph: string }> {
  // An InvalidTokenError is itself the 401 UNAUTHENTICATED refusal, with its reason.
  const token = bearerToken(req);
  if (!token) throw new InvalidTokenError('missing_token');
  const verified = await verifyAccessToken(token, policy.token);
  const subgraph = verified.sub === verified.clientId ? ownedSubgraph(policy, verified.clientId) : undefined;
  if (!subgraph) throw refusePublish(403, ErrorCode.FORBIDDEN, `${verified.clientId} is not a subgraph team client`);
  if (!verified.scopes.includes(policy.scope)) throw refusePublish(403, ErrorCode.FORBIDDEN, `publishing needs the ${policy.scope} scope`);
  return { clientId: verified.clientId, subgraph };
}

async function readPublishRequest(req: IncomingMessage): Promise<{ subgraph: string; sdl: string; allowBreaking: boolean }> {
  // A body too large or not JSON throws a RefusalError (BODY_TOO_LARGE, BAD_JSON).
  const body = await readJsonBody(req, 4 * 1024 * 1024);
  const { subgraph, sdl, allowBreaking } = (body ?? {}) as Record<string, unknown>;
  if (typeof subgraph !== 'string' || typeof sdl !== 'string' || (allowBreaking !== undefined && typeof allowBreaking !== 'boolean')) {
    throw refusePublish(400, ErrorCode.BAD_REQUEST, 'expected { "subgraph": string, "sdl": string, "allowBreaking"?: boolean }');
  }
  return { subgraph, sdl, allowBreaking: allowBreaking ?? false };
}

/**
 * POST /admin/schema: a subgraph team publishes its SDL. In order: the team's token, the
 * body, the team owns this subgraph, the new supergraph composes, no breaking change unless
 * allowed; then the router swaps to it. Every attempt is an audit event. Composing and diffing
 * run in `composition`'s worker thread, so queries are served meanwhile.
 */
export function createPublishHandler(policy: PublishPolicy, manager: SchemaManager, audit: AuditLog, composition: Pick<CompositionThread, 'check'>) {
  return async function handlePublish(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const event: AuditEvent = { event: 'schema.publish', hashBefore: manager.state.hash };
    let status = 200;
    let body: Record<string, unknown>;
    try {
      const team = await authenticateTeam(req, policy);
      event.client = team.clientId;
      const request = await readPublishRequest(req);
      event.subgraph = request.subgraph;
      if (request.subgraph !== team.subgraph) {
        throw refusePublish(403, ErrorCode.FORBIDDEN, `${team.clientId} may publish ${team.subgraph} only, not ${request.subgraph}`);
      }
      body = await manager.serialize(async () => {
        const state = manager.state;
        const existing = state.subgraphs.find((source) => source.name === request.subgraph);
        if (state.subgraphs.length === 0) throw refusePublish(503, ErrorCode.PUBLISH_NOT_CONFIGURED, 'this router has no subgraph sources (set supergraph.sources)');
        if (!existing) throw refusePublish(404, ErrorCode.UNKNOWN_SUBGRAPH, `no subgraph named ${request.subgraph} in the running supergraph`);
        const proposed = { ...existing, sdl: request.sdl, sourceName: `${request.subgraph} (published)` };
        const check = await composition.check(state.sdl, state.subgraphs, proposed);
        if (!check.composes) throw refusePublish(422, ErrorCode.COMPOSITION_FAILED, 'the proposed schema does not compose; the running schema is unchanged', { details: { problems: check.problems } });
        if (check.breaking.length > 0 && !request.allowBreaking) {
          throw refusePublish(409, ErrorCode.BREAKING_CHANGES, 'the proposed schema breaks clients; publish with allowBreaking to accept', { details: { changes: check.breaking } });
        }
        const sources = state.subgraphs.map((source) => (source.name === proposed.name ? proposed : source));
        const { before, after } = manager.apply(check.supergraphSdl, sources);
        Object.assign(event, { hashBefore: before, hashAfter: after, breakingAccepted: check.breaking.map((change) => change.message) });
        return { published: true, subgraph: request.subgraph, hashBefore: before, hashAfter: after, changes: check.changes };
      });
    } catch (error) {
      if (!(error instanceof RefusalError)) throw error;
      status = error.status;
      body = { errors: [{ message: error.message, extensions: error.extensions }] };
      Object.assign(event, { code: error.code });
    }
    audit.write({ ...event, decision: status === 200 ? 'published' : 'refused', status });
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  };
}
