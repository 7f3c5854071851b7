import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { schemaHash } from '../compose/schemaHash.js';
import { formatTakeover } from '../checks/findTakeovers.js';
import { findUnservedFields } from '../checks/findUnservedFields.js';
import { registryRefusal } from '../registryRefusal.js';
import { VersionConflictError, type SchemaVersion } from '../store/registryStore.js';
import type { Actor, Proposal } from '../registryTypes.js';
import { checkProposal, type CheckDependencies, type CheckReport } from './checkProposal.js';

/** Reads the SDL the subgraph's running service serves (`_service { sdl }`); throws an error with `code` SERVICE_UNREACHABLE or SERVICE_REFUSED. */
export type ServiceSdlReader = (subgraph: string, routingUrl: string, options?: { signal?: AbortSignal }) => Promise<string>;

export interface PublishDependencies extends CheckDependencies {
  /** The deploy check; none when `registry.deployCheck` is off. */
  readServiceSdl?: ServiceSdlReader;
}

/** A published version and what it changed. */
export interface PublishResult {
  version: SchemaVersion;
  hashBefore: string;
  report: CheckReport;
}

/** Refuses, in order, what the check found: not composing, unapproved takeovers, breaking changes clients used. */
function refuseFailedCheck(report: CheckReport, allowBreaking: boolean): void {
  if (!report.composes) {
    throw registryRefusal(422, ErrorCode.COMPOSITION_FAILED, 'the proposed schema does not compose; the current version is unchanged', { problems: report.problems });
  }
  const unapproved = report.takeovers.filter((takeover) => !takeover.approved);
  if (unapproved.length > 0) {
    const owners = [...new Set(unapproved.flatMap((takeover) => takeover.owners))];
    throw registryRefusal(409, ErrorCode.TAKEOVER_NOT_APPROVED, `${unapproved.map(formatTakeover).join('; ')}: the owning team (${owners.join(', ')}) must approve it first`, {
      takeovers: unapproved,
    });
  }
  const used = report.breaking.filter((change) => change.usedBy.length > 0);
  if (used.length > 0 && !allowBreaking) {
    const clients = [...new Set(used.flatMap((change) => change.usedBy.map((usage) => `${usage.clientId}/${usage.operationName}`)))];
    throw registryRefusal(409, ErrorCode.BREAKING_CHANGES, `the proposed schema breaks fields operations used (${clients.join(', ')}); publish with allowBreaking to accept`, {
      changes: report.breaking,
    });
  }
}

/** Deploy first, then publish: the running service must serve every field the proposal declares. */
async function checkDeployed(read: ServiceSdlReader, proposal: Proposal, routingUrl: string): Promise<void> {
  let served: string;
  try {
    served = await read(proposal.subgraph, routingUrl);
  } catch (error) {
    // The service refused or could not be reached, or no token for it could be had (DELEGATION_*).
    const code = (error as { code?: string }).code;
    const reason = code === 'SERVICE_REFUSED' ? 'service_refused' : code === 'SERVICE_UNREACHABLE' ? 'service_unreachable' : 'no_token';
    throw registryRefusal(502, ErrorCode.SERVICE_UNREACHABLE, `could not read ${proposal.subgraph}'s SDL from its running service: ${(error as Error).message}`, undefined, reason);
  }
  const unserved = findUnservedFields(proposal.sdl, served);
  if (unserved.length > 0) {
    throw registryRefusal(409, ErrorCode.NOT_DEPLOYED, `${proposal.subgraph}'s running service does not serve ${unserved.join(', ')} yet: deploy it first, then publish`, {
      fields: unserved,
    });
  }
}

/**
 * Publishes a subgraph SDL as the next version: the check (composition, takeovers, breaking
 * changes used by clients), then the deploy check, then the version is appended (using the
 * takeover approvals). Throws a RefusalError naming what failed; nothing changes then.
 */
export async function publishProposal(deps: PublishDependencies, actor: Actor, proposal: Proposal, allowBreaking: boolean): Promise<PublishResult> {
  const current = await deps.store.current();
  if (!current) throw registryRefusal(503, ErrorCode.PUBLISH_NOT_CONFIGURED, 'the registry has no version yet');
  const report = await checkProposal(deps, current, proposal);
  refuseFailedCheck(report, allowBreaking);
  const routingUrl = report.subgraphs.find((subgraph) => subgraph.name === proposal.subgraph)!.routingUrl;
  if (deps.readServiceSdl) await checkDeployed(deps.readServiceSdl, proposal, routingUrl);
  const supergraphSdl = report.supergraphSdl!;
  try {
    const version = await deps.store.append(
      {
        action: 'publish',
        client: actor.clientId,
        subgraph: proposal.subgraph,
        supergraphHash: schemaHash(supergraphSdl),
        supergraphSdl,
        subgraphs: report.subgraphs.map(({ name, routingUrl: url, sdl }) => ({ name, routingUrl: url, sdl })),
        changes: report.changes,
      },
      current.version,
      report.approvals,
    );
    return { version, hashBefore: current.supergraphHash, report };
  } catch (error) {
    if (error instanceof VersionConflictError) throw registryRefusal(409, ErrorCode.VERSION_CONFLICT, error.message, { current: error.actual });
    throw error;
  }
}

