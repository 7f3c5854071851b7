import type { RouteHandler } from '../../lib/http/createRoutedServer.js';
import type { SchemaRegistry } from '../../registry/schemaRegistry.js';
import type { SchemaVersion } from '../../registry/store/registryStore.js';
import { publicReport } from '../../registry/operations/checkProposal.js';
import type { Proposal } from '../../registry/registryTypes.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { AdminPolicy } from './authenticateAdmin.js';
import { adminRoute, badAdminRequest, type AdminEndpoint, type AdminInput } from './adminEndpoint.js';

const PROPOSAL = '{ "subgraph": string, "sdl": string, "routingUrl"?: string, "allowBreaking"?: boolean }';

function proposalOf({ body }: AdminInput): Proposal & { allowBreaking: boolean } {
  const { subgraph, sdl, routingUrl, allowBreaking } = body;
  const optional = (value: unknown, type: string) => value === undefined || typeof value === type;
  if (typeof subgraph !== 'string' || typeof sdl !== 'string' || !optional(routingUrl, 'string') || !optional(allowBreaking, 'boolean')) throw badAdminRequest(PROPOSAL);
  if (typeof routingUrl === 'string' && !URL.canParse(routingUrl)) throw badAdminRequest(`${PROPOSAL} with routingUrl an absolute URL`);
  return { subgraph, sdl, routingUrl: routingUrl as string | undefined, allowBreaking: (allowBreaking as boolean | undefined) ?? false };
}

function versionNumber(value: unknown, expected: string): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) throw badAdminRequest(expected);
  return number;
}

/**
 * The registry's admin routes (README.md "Schema registry"). `serve` is told of every version
 * this router made current, so it serves it before answering.
 */
export function registryRoutes(registry: SchemaRegistry, policy: AdminPolicy, audit: AuditLog, serve: (version: SchemaVersion) => Promise<void>): Record<string, RouteHandler> {
  const endpoints: Record<string, AdminEndpoint> = {
    '/admin/schema': {
      method: 'POST',
      event: 'schema.publish',
      async run(actor, input, event) {
        const proposal = proposalOf(input);
        event.subgraph = proposal.subgraph;
        const { version, hashBefore, report } = await registry.publish(actor, proposal, proposal.allowBreaking);
        await serve(version);
        const accepted = report.breaking.map((change) => change.message);
        Object.assign(event, { version: version.version, hashBefore, hashAfter: version.supergraphHash, decision: 'published', breakingAccepted: accepted, takeovers: report.takeovers.map((t) => t.field) });
        return { published: true, version: version.version, hashBefore, hashAfter: version.supergraphHash, ...publicReport(report) };
      },
    },
    '/admin/schema/check': {
      method: 'POST',
      event: 'schema.check',
      async run(actor, input, event) {
        const proposal = proposalOf(input);
        event.subgraph = proposal.subgraph;
        const report = await registry.check(actor, proposal);
        Object.assign(event, { version: report.basedOn, decision: report.failures.length === 0 ? 'passed' : 'failed', failures: report.failures });
        return publicReport(report);
      },
    },
    '/admin/schema/rollback': {
      method: 'POST',
      event: 'schema.rollback',
      async run(actor, { body }, event) {
        const target = versionNumber(body.version, '{ "version": a version number }');
        event.rollbackOf = target;
        const { version, hashBefore } = await registry.rollback(actor, target);
        await serve(version);
        Object.assign(event, { version: version.version, hashBefore, hashAfter: version.supergraphHash, decision: 'rolled back' });
        return { rolledBack: true, version: version.version, rollbackOf: target, hashBefore, hashAfter: version.supergraphHash, changes: version.changes };
      },
    },
    '/admin/schema/approvals': {
      method: 'POST',
      event: 'schema.approve',
      async run(actor, { body }, event) {
        const { field, taker, owner } = body;
        if (typeof field !== 'string' || typeof taker !== 'string' || (owner !== undefined && typeof owner !== 'string')) {
          throw badAdminRequest('{ "field": "Type.field", "taker": subgraph, "owner"?: subgraph }');
        }
        Object.assign(event, { field, subgraph: taker });
        const { approvals, version } = await registry.approve(actor, { field, taker, owner });
        Object.assign(event, { owners: approvals.map((approval) => approval.owner), version, decision: 'approved' });
        return { approved: true, approvals };
      },
    },
    '/admin/schema/versions': {
      method: 'GET',
      async run(_actor, { query }) {
        const limit = query.has('limit') ? versionNumber(query.get('limit'), 'limit, a positive number') : 20;
        return { versions: await registry.history(Math.min(limit, 1000)) };
      },
    },
    '/admin/schema/version': {
      method: 'GET',
      async run(_actor, { query }) {
        return registry.fetch(query.has('version') ? versionNumber(query.get('version'), 'version, a version number') : undefined);
      },
    },
  };
  return Object.fromEntries(Object.entries(endpoints).map(([path, endpoint]) => [path, adminRoute(endpoint, policy, audit)]));
}
