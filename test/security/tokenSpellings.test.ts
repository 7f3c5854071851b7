import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';

// One token, one string: respellings of a valid token (base64url with trailing bits set, the
// standard alphabet, padding) are refused, and the ECDSA high-S twin of its signature, which
// verifies too, shares the original's cache entry and exchanged tokens instead of multiplying them.

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const QUERY = { query: '{ topProducts(first: 1) { name inStock } }' };

/** The same signature bytes with the unused low bits of the last base64url character set. */
function withTrailingBits(token: string): string {
  const [header, payload, signature] = token.split('.');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature.at(-1)!);
  return `${header}.${payload}.${signature.slice(0, -1)}${alphabet[last | 0b11]}`;
}

/** The other valid ECDSA signature: (r, n - s). */
function highSTwin(token: string): string {
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  const twin = Buffer.concat([bytes.subarray(0, 32), Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex')]);
  return `${header}.${payload}.${twin.toString('base64url')}`;
}

describe('one token, one string', () => {
  let stack: TestStack;
  let token: string;
  const ask = (bearer: string) => postGraphQL(stack.router.url, QUERY, { authorization: `Bearer ${bearer}` });

  beforeAll(async () => {
    stack = await startStack();
    token = await stack.auth.userToken('alice');
    expect((await ask(token)).status).toBe(200);
  });
  afterAll(() => stack?.stop());

  it.each([
    ['trailing bits set in the signature', (t: string) => withTrailingBits(t)],
    ['the standard base64 alphabet', (t: string) => t.replace(/-/g, '+').replace(/_/g, '/')],
    ['padding on the signature', (t: string) => `${t}==`],
  ])('refuses a respelling with %s: 401 malformed_token, no exchange', async (_name, respell) => {
    const variant = respell(token);
    if (variant === token) return; // this token happens to have nothing to respell that way
    const before = stack.auth.exchanges();
    const response = await ask(variant);
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'malformed_token' } }] });
    expect(stack.auth.exchanges()).toBe(before);
  });

  it("serves the signature's high-S twin from the same cache entry: no second exchange", async () => {
    const before = stack.auth.exchanges();
    const twin = highSTwin(token);
    expect(twin).not.toBe(token);
    const response = await ask(twin);
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ data: { topProducts: [{ name: 'Table', inStock: true }] } });
    expect(stack.auth.exchanges()).toBe(before);
  });

  it('refuses the same respellings at a subgraph', async () => {
    stack.received.length = 0;
    await ask(token);
    const delegated = stack.received[0].authorization[0].replace(/^Bearer /, '');
    const subgraph = stack.subgraphs.find((s) => s.name === stack.received[0].subgraph)!;
    const response = await postGraphQL(subgraph.url, { query: '{ __typename }' }, { authorization: `Bearer ${withTrailingBits(delegated)}` });
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ errors: [{ extensions: { reason: 'malformed_token' } }] });
  });
});
