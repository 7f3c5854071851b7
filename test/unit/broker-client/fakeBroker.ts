import { createBrokerClient, type BrokerClientOptions, type Fetch } from '../../../broker-client/index.js';

/** One request the fake network saw. */
export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What the fake network answers for a request: a status and JSON body, or a thrown network error. */
export type Answer = { status: number; body: unknown } | Error;

export const TOKEN_ENDPOINT = 'http://issuer.test/token';
export const BROKER_URL = 'http://router.test/delegate';

/**
 * A broker client over a fake fetch: the token endpoint issues a service token, everything
 * else is answered by `answer` (POST /delegate by default echoes each operation's variables).
 */
export function fakeBroker(answer: (request: SeenRequest) => Answer, options: Partial<BrokerClientOptions> = {}) {
  const seen: SeenRequest[] = [];
  const fakeFetch: Fetch = async (input, init) => {
    const request = { url: String(input), headers: init?.headers as Record<string, string>, body: String(init?.body) };
    seen.push(request);
    const answered = request.url === TOKEN_ENDPOINT && request.body.includes('client_credentials') ? { status: 200, body: { access_token: 'service-token', expires_in: 300 } } : answer(request);
    if (answered instanceof Error) throw answered;
    return new Response(JSON.stringify(answered.body), { status: answered.status, headers: { 'content-type': 'application/json' } });
  };
  const client = createBrokerClient({
    clientId: 'accounts-service',
    clientSecret: 'secret',
    tokenEndpoint: TOKEN_ENDPOINT,
    routerResource: 'urn:deputy:router',
    brokerUrl: () => BROKER_URL,
    fetch: fakeFetch,
    ...options,
  });
  return { client, seen, delegations: () => seen.filter((request) => request.url === BROKER_URL).map((request) => JSON.parse(request.body) as Record<string, unknown>) };
}

/** The broker's answer to a body: each operation answered with its variables as data. */
export function echo(request: SeenRequest): Answer {
  const body = JSON.parse(request.body) as { request?: { variables?: unknown }; requests?: { variables?: unknown }[] };
  if (body.requests) return { status: 200, body: { results: body.requests.map((operation) => ({ status: 200, body: { data: { echo: operation.variables } } })) } };
  return { status: 200, body: { data: { echo: body.request?.variables } } };
}

/** A /delegate refusal with its status and code. */
export const refusal = (status: number, code: string, reason?: string): Answer => ({ status, body: { errors: [{ message: code, extensions: { code, reason } }] } });

/** A query call for `user` (the token stands for the user) asking reviews about `id`. */
export const reviewsCall = (user: string, id: string, query = 'query($id: ID!) { review(id: $id) { id } }') => ({
  subjectToken: `token-of-${user}`,
  target: 'reviews',
  scopes: ['reviews:read'],
  query,
  variables: { id },
});
