import type { TestAuth } from '../test/helpers/startAuth.js';

const USERS = ['alice', 'bob', 'carol', 'urigo', 'dotansimha', 'kamilkisiela', 'ardatan', 'gilgardosh', 'laurin'];

/** `count` distinct user tokens through the real authorization code flow, a few at a time, with a progress line. */
export async function mintTokens(auth: TestAuth, count: number, parallel = 8): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      tokens.push(await auth.userToken(USERS[index % USERS.length]));
      if (tokens.length % 500 === 0) console.log(`  minted ${tokens.length}/${count} user tokens for the cold configuration`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return tokens;
}
