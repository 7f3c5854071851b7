import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { registryRefusal } from '../registryRefusal.js';
import type { Actor } from '../registryTypes.js';

/** Refuses (403 FORBIDDEN) an actor that may not change `subgraph`: only its own team, or a registry admin. */
export function assertMayChange(actor: Actor, subgraph: string): void {
  if (actor.admin || actor.subgraph === subgraph) return;
  throw registryRefusal(403, ErrorCode.FORBIDDEN, `${actor.clientId} may change ${actor.subgraph ?? 'no subgraph'} only, not ${subgraph}`, undefined, 'not_owner');
}

/** Refuses (403 FORBIDDEN) an actor without the registry admin scope. */
export function assertAdmin(actor: Actor, what: string): void {
  if (!actor.admin) throw registryRefusal(403, ErrorCode.FORBIDDEN, `${what} needs the registry admin scope`, undefined, 'not_admin');
}
