import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { AudienceDefinition } from './audiences.js';

/**
 * The audience a client-credentials request names with `audience` (as Auth0 takes it, and as the
 * router asks for a subgraph's, router.yaml `exchange.targetParameter`); undefined when it names
 * none, or for another grant. oidc-provider keeps only `resource` and `scope` for this grant, so
 * the parameter is read from the body. Errors: invalid_target for several values or an unknown name.
 */
export function clientCredentialsAudience(ctx: KoaContextWithOIDC, audiences: AudienceDefinition[]): AudienceDefinition | undefined {
  if (ctx.oidc.params?.grant_type !== 'client_credentials') return undefined;
  const named = ctx.oidc.body?.audience;
  if (named === undefined) return undefined;
  // One token, one audience (as in an exchange).
  if (typeof named !== 'string') throw new errors.InvalidTarget('exactly one audience is allowed');
  const definition = audiences.find((candidate) => candidate.audience === named);
  if (!definition) throw new errors.InvalidTarget(`unknown audience '${named}'`);
  return definition;
}
