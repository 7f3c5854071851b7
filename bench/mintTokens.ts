import type { LocalAuthServer } from '../auth-server/startLocalAuthServer.js';
import { ALL_USER_SCOPES, DEMO_USERS } from '../auth-server/demoIdentities.js';
import { obtainUserToken } from '../scripts/token/obtainUserToken.js';

/** A user token for the router through the real authorization code + PKCE flow (demo password: the user name). */
export async function userToken(auth: LocalAuthServer, user: string): Promise<string> {
  const result = await obtainUserToken({ issuer: auth.issuer, username: user, password: user, scope: ALL_USER_SCOPES, redirectUri: 'http://127.0.0.1:4000/callback' });
  return result.accessToken;
}

/** `count` distinct user tokens through the real authorization code flow, a few at a time, with a progress line. */
export async function mintTokens(auth: LocalAuthServer, count: number, parallel = 8): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      tokens.push(await userToken(auth, DEMO_USERS[index % DEMO_USERS.length]));
      if (tokens.length % 500 === 0) console.log(`  minted ${tokens.length}/${count} user tokens for the cold configuration`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return tokens;
}
