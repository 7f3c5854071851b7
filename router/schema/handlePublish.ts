import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody } from '../../lib/http/readBody.js';
import { RequestRefusedError } from '../../lib/http/requestRefusedError.js';
import { bearerToken } from '../../lib/http/bearerToken.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy } from '../../lib/verifyAccessToken.js';
import type { AuditEvent, AuditLog } from '../audit/auditLog.js';
import type { SchemaManager } from './schemaManager.js';
import { checkSchemaChange } from './checkSchemaChange.js';
import { own } from '../../lib/own.js';

/** Who may publish: tokens for the admin audience with the publish scope, from a team client. */
export interface PublishPolicy {
  token: AccessTokenPolicy;
  scope: string;
  /** Team client id → the one subgraph it owns. Default: `<subgraph>-team` owns `<subgraph>`. */
  teams: Record<string, string>;
}

function ownedSubgraph(policy: PublishPolicy, clientId: string): string | undefined {
  return own(policy.teams, clientId) ?? (clientId.endsWith('-team') ? clientId.slice(0, -'-team'.length) : undefined);
}

async function authenticateTeam(req: IncomingMessage, policy: PublishPolicy): Promise<{ clientId: string; subgraph: string }> {
  let verified;
  try {
    const token = bearerToken(req);
    if (!token) throw new InvalidTokenError('missing_token');
    verified = await verifyAccessToken(token, policy.token);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new RequestRefusedError(401, 'UNAUTHENTICATED', error.message, { reason: error.reason });
    throw error;
  }
  const subgraph = verified.sub === verified.clientId ? ownedSubgraph(policy, verified.clientId) : undefined;
  if (!subgraph) throw new RequestRefusedError(403, 'FORBIDDEN', `${verified.clientId} is not a subgraph team client`);
  if (!verified.scopes.includes(policy.scope)) throw new RequestRefusedError(403, 'FORBIDDEN', `publishing needs the ${policy.scope} scope`);
  return { clientId: verified.clientId, subgraph };
}

async function readPublishRequest(req: IncomingMessage): Promise<{ subgraph: string; sdl: string; allowBreaking: boolean }> {
  // A body too large or not JSON throws BadRequestBodyError, itself a RequestRefusedError.
  const body = await readJsonBody(req, 4 * 1024 * 1024);
  const { subgraph, sdl, allowBreaking } = (body ?? {}) as Record<string, unknown>;
  if (typeof subgraph !== 'string' || typeof sdl !== 'string' || (allowBreaking !== undefined && typeof allowBreaking !== 'boolean')) {
    throw new RequestRefusedError(400, 'BAD_REQUEST', 'expected { "subgraph": string, "sdl": string, "allowBreaking"?: boolean }');
  }
  return { subgraph, sdl, allowBreaking: allowBreaking ?? false };
}

/**
 * POST /admin/schema: a subgraph team publishes its SDL. In order: the team's token, the
 * body, the team owns this subgraph, the new supergraph composes, no breaking change unless
 * allowed; then the router swaps to it. Every attempt is an audit event.
 */
export function createPublishHandler(policy: PublishPolicy, manager: SchemaManager, audit: AuditLog) {
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
        throw new RequestRefusedError(403, 'FORBIDDEN', `${team.clientId} may publish ${team.subgraph} only, not ${request.subgraph}`);
      }
      body = await manager.serialize(async () => {
        const state = manager.state;
        const existing = state.subgraphs.find((source) => source.name === request.subgraph);
        if (state.subgraphs.length === 0) throw new RequestRefusedError(503, 'PUBLISH_NOT_CONFIGURED', 'this router has no subgraph sources (set supergraph.sources)');
        if (!existing) throw new RequestRefusedError(404, 'UNKNOWN_SUBGRAPH', `no subgraph named ${request.subgraph} in the running supergraph`);
        const proposed = { ...existing, sdl: request.sdl, sourceName: `${request.subgraph} (published)` };
        const check = await checkSchemaChange(state.apiSchema, state.subgraphs, proposed);
        if (!check.composes) throw new RequestRefusedError(422, 'COMPOSITION_FAILED', 'the proposed schema does not compose; the running schema is unchanged', { problems: check.problems });
        if (check.breaking.length > 0 && !request.allowBreaking) {
          throw new RequestRefusedError(409, 'BREAKING_CHANGES', 'the proposed schema breaks clients; publish with allowBreaking to accept', { changes: check.breaking });
        }
        const sources = state.subgraphs.map((source) => (source.name === proposed.name ? proposed : source));
        const { before, after } = manager.apply(check.supergraphSdl, sources);
        Object.assign(event, { hashBefore: before, hashAfter: after, breakingAccepted: check.breaking.map((change) => change.message) });
        return { published: true, subgraph: request.subgraph, hashBefore: before, hashAfter: after, changes: check.changes };
      });
    } catch (error) {
      if (!(error instanceof RequestRefusedError)) throw error;
      status = error.status;
      body = { errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] };
      Object.assign(event, { code: error.code });
    }
    audit.write({ ...event, decision: status === 200 ? 'published' : 'refused', status });
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  };
}
