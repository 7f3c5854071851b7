/** A refused or failed brokered call, with the broker's code (e.g. DELEGATION_DENIED, TARGET_FAILED). */
export class BrokerCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BrokerClientOptions {
  /** This service's client id and secret at the authorization server. */
  clientId: string;
  clientSecret: string;
  /** The authorization server's token endpoint (client credentials). */
  tokenEndpoint: string;
  /** The resource indicator of the router, whose broker this service calls. */
  routerResource: string;
  /** The router's POST /delegate URL (a function: in tests the router starts after the subgraphs). */
  brokerUrl: () => string;
}

export interface DelegateCall {
  /** The user token this service received: it acts for that user, nobody else. */
  subjectToken: string;
  target: string;
  scopes: string[];
  query: string;
  variables?: Record<string, unknown>;
  /** The path of the field that needs the call, so the router's trace can place the hop. */
  field?: string;
  /** The incoming traceparent, so the hop joins the trace of the request that caused it. */
  traceparent?: string;
}

/**
 * Calls another service on behalf of the same user through the router's delegation broker:
 * this service never exchanges tokens itself. It authenticates with a client-credentials
 * token of its own, fetched once and reused until shortly before it expires.
 */
export class BrokerClient {
  private serviceToken?: { value: string; renewAt: number };

  constructor(private readonly options: BrokerClientOptions) {}

  async delegate(call: DelegateCall): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
    const response = await fetch(this.options.brokerUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await this.token()}`,
        ...(call.traceparent ? { traceparent: call.traceparent } : {}),
      },
      body: JSON.stringify({
        subjectToken: call.subjectToken,
        target: call.target,
        scopes: call.scopes,
        request: { query: call.query, variables: call.variables },
        field: call.field,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
    if (!response.ok) {
      const first = body.errors?.[0];
      throw new BrokerCallError(first?.extensions?.code ?? `HTTP_${response.status}`, first?.message ?? `the broker answered ${response.status}`);
    }
    return body;
  }

  private async token(): Promise<string> {
    if (this.serviceToken && Date.now() < this.serviceToken.renewAt) return this.serviceToken.value;
    const { clientId, clientSecret } = this.options;
    const response = await fetch(this.options.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: this.options.routerResource }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string };
    if (!response.ok || !body.access_token) throw new BrokerCallError('SERVICE_UNAUTHENTICATED', `no service token for ${clientId}: ${body.error ?? response.status}`);
    this.serviceToken = { value: body.access_token, renewAt: Date.now() + Math.max(0, (body.expires_in ?? 60) - 30) * 1000 };
    return body.access_token;
  }
}
