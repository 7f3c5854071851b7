import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { fieldOwners } from '../checks/fieldOwners.js';
import { registryRefusal } from '../registryRefusal.js';
import type { Approval, RegistryStore } from '../store/registryStore.js';
import type { Actor } from '../registryTypes.js';

/** What an owning team (or an admin) approves: `taker` may take over `field`. */
export interface ApprovalRequest {
  field: string;
  taker: string;
  /** Which owner approves; an admin may name one, a team approves as its own subgraph. Default: every owner an admin speaks for. */
  owner?: string;
}

/** The approvals recorded, and the version whose owners they were checked against. */
export interface ApprovalOutcome {
  approvals: Approval[];
  version: number;
}

/**
 * Records an owner's approval that `taker` takes over `field` in its next publish. Only a team
 * whose subgraph resolves the field in the current version may approve (or a registry admin,
 * for any owner). Refused: BAD_REQUEST when no subgraph resolves the field, FORBIDDEN otherwise.
 */
export async function approveTakeover(store: RegistryStore, actor: Actor, request: ApprovalRequest): Promise<ApprovalOutcome> {
  const current = await store.current();
  const owners = [...(current ? (fieldOwners(current.subgraphs).get(request.field) ?? []) : [])].filter((owner) => owner !== request.taker);
  if (!current || owners.length === 0) throw registryRefusal(400, ErrorCode.BAD_REQUEST, `no subgraph other than ${request.taker} resolves ${request.field} in version ${current?.version ?? 'none'}`);
  let approving: string[];
  if (actor.admin) approving = request.owner ? [request.owner] : owners;
  else approving = [actor.subgraph ?? ''];
  const strangers = approving.filter((owner) => !owners.includes(owner));
  if (strangers.length > 0) {
    throw registryRefusal(403, ErrorCode.FORBIDDEN, `${request.field} is resolved by ${owners.join(', ')}, not ${strangers.join(', ')}: only its owning team approves a takeover`, { owners }, 'not_owner');
  }
  const approvals = await Promise.all(approving.map((owner) => store.approve({ field: request.field, owner, taker: request.taker, approvedBy: actor.clientId })));
  return { approvals, version: current.version };
}
