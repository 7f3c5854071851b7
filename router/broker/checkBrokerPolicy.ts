import type { VerifiedToken } from '../../lib/verifyAccessToken.js';
import { brokerRefusal } from './brokerRefusal.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';

/** The broker's policy: registered callers, each with its own subgraph and allowed targets and scopes. */
export interface BrokerPolicy {
  maxDepth: number;
  callers: Record<string, { subgraph: string; targets: Record<string, string[]> }>;
}

/** The `act` chain of a token, outermost first. */
export function actorsOf(token: VerifiedToken): string[] {
  const actors: string[] = [];
  for (let act = token.act; act; act = act.act) actors.push(act.sub);
  return actors;
}

/**
 * May this service act for this user toward this target with these scopes? Refused with 403
 * and the rule: not in the allowlist, a scope beyond it, a chain that would revisit a
 * service (a loop), or a chain longer than maxDepth actors.
 */
export function checkBrokerPolicy(policy: BrokerPolicy, callerId: string, held: VerifiedToken, target: string, scopes: string[]): void {
  const caller = policy.callers[callerId];
  const allowed = caller.targets[target];
  if (!allowed) {
    throw brokerRefusal(403, ErrorCode.DELEGATION_DENIED, `${callerId} may not call ${target} through the broker`, { rule: `broker.callers.${callerId}.targets` });
  }
  const extra = scopes.filter((scope) => !allowed.includes(scope));
  if (extra.length > 0) {
    throw brokerRefusal(403, ErrorCode.DELEGATION_DENIED, `${callerId} may not ask ${target} for ${extra.join(' ')}`, {
      rule: `broker.callers.${callerId}.targets.${target}`,
    });
  }
  // The services already in this delegation: the caller, and every registered service in the chain.
  const visited = new Set([caller.subgraph, ...actorsOf(held).flatMap((actor) => (policy.callers[actor] ? [policy.callers[actor].subgraph] : []))]);
  if (visited.has(target)) {
    throw brokerRefusal(403, ErrorCode.DELEGATION_LOOP, `the delegation chain already passed through ${target}`, { rule: 'broker: no service twice in one chain' });
  }
  // The issued token names this router, the caller, and the held token's chain.
  const depth = 2 + actorsOf(held).length;
  if (depth > policy.maxDepth) {
    throw brokerRefusal(403, ErrorCode.DELEGATION_DEPTH, `the delegation chain would hold ${depth} actors (limit ${policy.maxDepth})`, { rule: 'broker.maxDepth' });
  }
}
