/** What the console is told at GET /console/config.json: how to log in and for which audience. */
export interface ConsoleSettings {
  /** The authorization server the console logs in through (the router's `auth.issuer`). */
  issuer: string;
  /** The public client it logs in as (authorization code + PKCE, no secret). */
  clientId: string;
  /** The resource indicator that makes the token's audience this router. */
  resource: string;
  /**
   * The scopes it asks for: every scope of the demo subgraphs, reads and writes, and the trace.
   * The user chooses among those they are entitled to at the authorization server (`prompt=consent`).
   */
  scope: string;
}

/** The console's settings for a router trusting `issuer`; the rest are the demo's fixed names. */
export function consoleSettingsFor(issuer: string): ConsoleSettings {
  return {
    issuer,
    clientId: 'web-app',
    resource: 'urn:deputy:router',
    scope: 'openid accounts:read products:read products:write inventory:read inventory:write reviews:read reviews:write trace:read',
  };
}
