/**
 * The audiences the authorization server issues tokens for, and the scopes each defines.
 * Issued tokens carry at most these scopes (RFC 8693: scopes only narrow).
 */
export interface AudienceDefinition {
  /** The `aud` value written into tokens for this audience. */
  audience: string;
  /** RFC 8707 resource indicators that denote this audience, besides its name. */
  resources: string[];
  scopes: string[];
}

/** The router: user tokens from the authorization code flow are issued to it. */
export const ROUTER_AUDIENCE = 'deputy-router';
/** The resource indicator a frontend asks for to get a token for the router. */
export const ROUTER_RESOURCE = 'urn:deputy:router';

/** The four demo subgraphs' audiences; each is the subgraph's name. */
export const SUBGRAPH_AUDIENCES: AudienceDefinition[] = [
  { audience: 'accounts', resources: ['urn:deputy:subgraph:accounts'], scopes: ['accounts:read'] },
  { audience: 'products', resources: ['urn:deputy:subgraph:products'], scopes: ['products:read', 'products:write'] },
  { audience: 'inventory', resources: ['urn:deputy:subgraph:inventory'], scopes: ['inventory:read', 'inventory:write'] },
  { audience: 'reviews', resources: ['urn:deputy:subgraph:reviews'], scopes: ['reviews:read', 'reviews:write'] },
];

/** The router's admin API (schema publishing, the registry): only subgraph team clients and the registry admin get tokens for it. */
export const ADMIN_AUDIENCE_DEFINITION: AudienceDefinition = {
  audience: 'deputy-admin',
  resources: ['urn:deputy:admin'],
  scopes: ['schema:publish', 'schema:admin'],
};

/** The router's own audience, given the subgraphs' audiences: a user token may hold every subgraph scope plus `trace:read`. */
export function routerAudienceDefinition(subgraphs: AudienceDefinition[]): AudienceDefinition {
  return { audience: ROUTER_AUDIENCE, resources: [ROUTER_RESOURCE], scopes: [...subgraphs.flatMap((definition) => definition.scopes), 'trace:read'] };
}

/** The subgraph audiences a server issues tokens for: the demo ones, then the configured extra ones. */
export function subgraphAudiences(extra: AudienceDefinition[] = []): AudienceDefinition[] {
  return [...SUBGRAPH_AUDIENCES, ...extra];
}
