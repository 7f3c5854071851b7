import { errors, type Client } from 'oidc-provider';

/** What the endpoint does with a token: revoke it, answer 200 and do nothing, or refuse with an error. */
export type RevocationVerdict = 'allowed' | 'ignored' | 'refused';

/**
 * RFC 7009 §2.1: a client may revoke only the tokens issued to it. A confidential client naming
 * another client's token is refused (`invalid_request`); a public client, which anyone can claim
 * to be, gets the plain 200 and nothing is revoked, so the endpoint tells no stranger whose a
 * token is. (The same rule as oidc-provider's default, for our JWTs and its opaque tokens alike.)
 */
export function revocationVerdict(client: Pick<Client, 'clientId' | 'clientAuthMethod'>, tokenClientId: string | undefined): RevocationVerdict {
  if (tokenClientId === client.clientId) return 'allowed';
  return client.clientAuthMethod === 'none' ? 'ignored' : 'refused';
}

export const NOT_YOUR_TOKEN = 'client is not authorized to revoke the presented token';

/** oidc-provider's `features.revocation.allowedPolicy`, for the tokens it stores (refresh tokens). */
export async function allowedPolicy(_ctx: unknown, client: Client, token: { clientId?: string }): Promise<boolean> {
  const verdict = revocationVerdict(client, token.clientId);
  if (verdict === 'refused') throw new errors.InvalidRequest(NOT_YOUR_TOKEN);
  return verdict === 'allowed';
}
