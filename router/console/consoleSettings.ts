/** What the console is told at GET /console/config.json: how to log in and for which audience. */
export interface ConsoleSettings {
  /** The authorization server the console logs in through (the router's `auth.issuer`). */
  issuer: string;
  /** The public client it logs in as (authorization code + PKCE, no secret). */
  clientId: string;
  /** The resource indicator that makes the token's audience this router. */
  resource: string;
  /** The scopes it asks for: every read scope of the demo subgraphs, and the trace. */
  scope: string;
}

/** The console's settings for a router trusting `issuer`; the rest are the demo's fixed names. */
export function consoleSettingsFor(issuer: string): ConsoleSettings {
  return {
    issuer,
    clientId: 'web-app',
    resource: 'urn:deputy:router',
    scope: 'openid accounts:read products:read inventory:read reviews:read trace:read',
  };
}
