import { describe, expect, it } from 'vitest';
import { clientCredentialsBody } from '../../../router/delegation/exchangeDialect.js';
import { serviceSdlTokens } from '../../../router/registry/serviceSdlTokens.js';
import { serviceSdlReader } from '../../../router/registry/createServiceSdlReader.js';
import type { ExchangeClient } from '../../../router/delegation/exchangeToken.js';
import type { TokenTransport } from '../../../router/delegation/tokenTransport.js';
import { ServiceSdlError } from '../../../registry/checks/serviceSdlError.js';

// The router's own client-credentials tokens for reading subgraph SDLs: a fake transport stands
// in for the token endpoint (the real one: test/registry/serviceSdl.test.ts).

const fields = (body: URLSearchParams) => Object.fromEntries(body);

/** A token endpoint that records each request and answers with `answer` (default: a new token living `expiresIn` s). */
function endpoint(answer?: (n: number) => { status: number; body: unknown }, expiresIn = 300) {
  const requests: { headers: Record<string, string>; body: Record<string, string> }[] = [];
  const transport: TokenTransport = async (_url, headers, body) => {
    requests.push({ headers, body: fields(body) });
    const { status, body: json } = answer?.(requests.length) ?? { status: 200, body: { access_token: `token-${requests.length}`, token_type: 'Bearer', expires_in: expiresIn } };
    return { status, text: JSON.stringify(json) };
  };
  const client: ExchangeClient = {
    tokenEndpoint: 'https://issuer.test/token',
    clientId: 'deputy-router',
    authenticate: async ({ headers }) => {
      headers.authorization = 'Basic cm91dGVyOnNlY3JldA==';
    },
    timeoutMs: 1000,
    transport,
    dialect: { grant: 'token-exchange', targetParameter: 'audience' },
  };
  return { requests, client };
}

describe('clientCredentialsBody', () => {
  it('names the audience as exchanges do: audience, resource or both, and asks for no scope', () => {
    expect(fields(clientCredentialsBody({ grant: 'token-exchange', targetParameter: 'audience' }, 'products'))).toEqual({ grant_type: 'client_credentials', audience: 'products' });
    expect(fields(clientCredentialsBody({ grant: 'token-exchange', targetParameter: 'resource' }, 'https://products.test/'))).toEqual({ grant_type: 'client_credentials', resource: 'https://products.test/' });
    expect(fields(clientCredentialsBody({ grant: 'token-exchange', targetParameter: 'both' }, 'products'))).toEqual({ grant_type: 'client_credentials', audience: 'products', resource: 'products' });
  });

  it("asks Entra ID for the application's .default scope", () => {
    expect(fields(clientCredentialsBody({ grant: 'entra-obo', targetParameter: 'audience' }, 'api://products/'))).toEqual({ grant_type: 'client_credentials', scope: 'api://products/.default' });
  });
});

describe('serviceSdlTokens', () => {
  it("requests a token per audience with the router's client authentication, and reuses it until the skew before its expiry", async () => {
    let now = 1_000_000;
    const { requests, client } = endpoint();
    const tokens = serviceSdlTokens(client, (subgraph) => (subgraph === 'reviews' ? 'api://reviews' : subgraph), 30, () => now);
    expect(await tokens.tokenFor('products')).toEqual({ token: 'token-1', reused: false });
    expect(await tokens.tokenFor('products')).toEqual({ token: 'token-1', reused: true });
    expect(await tokens.tokenFor('reviews')).toEqual({ token: 'token-2', reused: false });
    expect(requests.map((request) => request.body)).toEqual([
      { grant_type: 'client_credentials', audience: 'products' },
      { grant_type: 'client_credentials', audience: 'api://reviews' },
    ]);
    expect(requests[0].headers.authorization).toMatch(/^Basic /);
    now += 269_000;
    expect((await tokens.tokenFor('products')).token).toBe('token-1');
    now += 1_000;
    expect(await tokens.tokenFor('products')).toEqual({ token: 'token-3', reused: false });
  });

  it('joins a request already in flight for the same audience', async () => {
    const { requests, client } = endpoint();
    const tokens = serviceSdlTokens(client, (subgraph) => subgraph, 30);
    const [a, b] = await Promise.all([tokens.tokenFor('products'), tokens.tokenFor('products')]);
    expect([a.token, b.token, requests.length]).toEqual(['token-1', 'token-1', 1]);
  });

  it('never caches a token that lives less than the skew, nor a refusal', async () => {
    const short = endpoint(undefined, 10);
    const tokens = serviceSdlTokens(short.client, (subgraph) => subgraph, 30);
    await tokens.tokenFor('products');
    await tokens.tokenFor('products');
    expect(short.requests).toHaveLength(2);
    const refusing = endpoint((n) => (n === 1 ? { status: 400, body: { error: 'invalid_target' } } : { status: 200, body: { access_token: 'later', expires_in: 300 } }));
    const again = serviceSdlTokens(refusing.client, (subgraph) => subgraph, 30);
    await expect(again.tokenFor('products')).rejects.toMatchObject({ code: 'DELEGATION_DENIED', reason: 'invalid_target' });
    expect((await again.tokenFor('products')).token).toBe('later');
  });

  it('fails as an exchange does: DELEGATION_UNAVAILABLE when the token endpoint errs', async () => {
    const { client } = endpoint(() => ({ status: 503, body: {} }));
    const error = await serviceSdlTokens(client, (subgraph) => subgraph, 30).tokenFor('products').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DELEGATION_UNAVAILABLE', reason: 'server_error' });
  });

  it('forgets a cached token on request', async () => {
    const { client } = endpoint();
    const tokens = serviceSdlTokens(client, (subgraph) => subgraph, 30);
    await tokens.tokenFor('products');
    tokens.forget('products');
    expect(await tokens.tokenFor('products')).toEqual({ token: 'token-2', reused: false });
  });
});

describe('serviceSdlReader', () => {
  const refused = () => new ServiceSdlError('SERVICE_REFUSED', 'http_401', 'http://products.test/graphql', 'refused', 401, 'UNAUTHENTICATED/token_expired');

  it('asks again with a new token once when the service refuses a reused one', async () => {
    const { client } = endpoint();
    const tokens = serviceSdlTokens(client, (subgraph) => subgraph, 30);
    await tokens.tokenFor('products');
    const used: string[] = [];
    const read = serviceSdlReader(tokens, () => 500, async (_url, token) => {
      used.push(token);
      if (token === 'token-1') throw refused();
      return 'type Query { a: Int }';
    });
    expect(await read('products', 'http://products.test/graphql')).toBe('type Query { a: Int }');
    expect(used).toEqual(['token-1', 'token-2']);
  });

  it('takes a new token refused as final, and passes other failures on as they are', async () => {
    const { client, requests } = endpoint();
    const read = serviceSdlReader(serviceSdlTokens(client, (subgraph) => subgraph, 30), () => 500, async () => {
      throw refused();
    });
    await expect(read('products', 'http://products.test/graphql')).rejects.toMatchObject({ code: 'SERVICE_REFUSED', reason: 'http_401' });
    expect(requests).toHaveLength(1);
    const timeouts: (number | undefined)[] = [];
    const down = serviceSdlReader(serviceSdlTokens(client, (subgraph) => subgraph, 30), () => 1234, async (url, _token, options) => {
      timeouts.push(options?.timeoutMs);
      throw new ServiceSdlError('SERVICE_UNREACHABLE', 'unreachable', url, 'down');
    });
    await expect(down('products', 'http://products.test/graphql')).rejects.toMatchObject({ code: 'SERVICE_UNREACHABLE' });
    expect(timeouts).toEqual([1234]);
  });
});
