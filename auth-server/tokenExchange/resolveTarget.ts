import { errors } from 'oidc-provider';
import type { AudienceDefinition } from '../audiences.js';
import type { ExchangePolicy } from '../demoIdentities.js';
import type { ExchangeRequest } from './readExchangeRequest.js';

/**
 * Resolves `audience`/`resource` to exactly one known audience that this client may target.
 * Errors are `invalid_target` (RFC 8693 §2.2.2).
 */
export function resolveTarget(request: ExchangeRequest, audiences: AudienceDefinition[], policy: ExchangePolicy): AudienceDefinition {
  const named = [
    ...request.audiences.map((name) => ({ name, found: audiences.find((a) => a.audience === name) })),
    ...request.resources.map((name) => ({ name, found: audiences.find((a) => a.resources.includes(name)) })),
  ];
  if (named.length === 0) throw new errors.InvalidTarget("one 'audience' or 'resource' is required");
  const unknown = named.find((entry) => !entry.found);
  if (unknown) throw new errors.InvalidTarget(`unknown audience or resource '${unknown.name}'`);
  const distinct = new Set(named.map((entry) => entry.found!.audience));
  // Each issued token has exactly one audience, so that a subgraph cannot replay it at another.
  if (distinct.size > 1) throw new errors.InvalidTarget('exactly one target audience is allowed per exchange');
  const target = named[0].found!;
  if (!(target.audience in policy.targets)) {
    throw new errors.InvalidTarget(`this client may not obtain tokens for audience '${target.audience}'`);
  }
  return target;
}
