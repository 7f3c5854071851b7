import type Provider from 'oidc-provider';

/** The fields of an access token that say which session it belongs to. */
interface SessionBound {
  sid?: string;
  sessionUid?: string;
  clientId?: string;
}

/**
 * The `sid` of a token being issued: its own (an exchanged token's, carried from its subject), or
 * else the one its login session holds for its client. oidc-provider puts a sid on authorization
 * codes only for clients with back-channel logout, so a user token learns it from its session
 * here, and keeps it on `token.sid` for whoever reads the issued token (the sid index).
 */
export async function sessionIdOf(provider: Provider, token: SessionBound): Promise<string | undefined> {
  if (token.sid || !token.sessionUid || !token.clientId) return token.sid;
  const session = await provider.Session.findByUid(token.sessionUid);
  const sid = session?.authorizations?.[token.clientId]?.sid;
  if (sid) token.sid = sid;
  return sid;
}
