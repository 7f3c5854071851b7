import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errorCodes.js';
import type { RouterContext } from '../routerContext.js';
import type { TokenBroker, SubgraphToken } from './tokenBroker.js';
import { requestToken } from './requestToken.js';
import type { SubgraphDelegation } from './checkDelegationPolicy.js';
import { DelegationDeniedError, DelegationUnavailableError, toGraphQLError } from './delegationErrors.js';

export interface DelegatingDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  delegation: SubgraphDelegation;
  broker: TokenBroker;
}

function httpStatusOf(error: unknown): number | undefined {
  const response = (error as GraphQLError).extensions?.response as { status?: number } | undefined;
  return response?.status;
}

/**
 * A subgraph fetch made on behalf of the caller: the request carries only a token exchanged
 * for this subgraph's audience, never the caller's token. Built on @apollo/gateway's
 * RemoteGraphQLDataSource; one instance per subgraph.
 */
export class DelegatingDataSource extends RemoteGraphQLDataSource<RouterContext> {
  private readonly options: DelegatingDataSourceOptions;

  constructor(options: DelegatingDataSourceOptions) {
    super({ url: options.url });
    this.options = options;
    // Global fetch (undici) with a per-subgraph timeout.
    this.fetcher = ((url: string, init: RequestInit) =>
      fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) })) as unknown as typeof this.fetcher;
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<GatewayGraphQLResponse> {
    const caller = options.context?.caller;
    if (!caller) return this.send(options, undefined);
    const first = await this.obtain(requestToken(options.context as RouterContext, caller, this.options.name, this.options.delegation, this.options.broker));
    try {
      return await this.send(options, first);
    } catch (error) {
      // A subgraph that refuses a token we reused (revoked key, clock drift) gets exactly one
      // retry with a freshly exchanged token; a fresh token refused is final.
      if (httpStatusOf(error) !== 401 || first.source === 'exchange') throw this.describe(error);
      this.options.broker.evict(first.key);
      const fresh = await this.obtain(this.options.broker.tokenFor(caller, this.options.name, this.options.delegation));
      try {
        return await this.send(options, fresh);
      } catch (retryError) {
        throw this.describe(retryError);
      }
    }
  }

  private async obtain(pending: Promise<SubgraphToken>): Promise<SubgraphToken> {
    try {
      return await pending;
    } catch (error) {
      if (error instanceof DelegationDeniedError || error instanceof DelegationUnavailableError) throw toGraphQLError(error);
      throw error;
    }
  }

  private send(options: GraphQLDataSourceProcessOptions<RouterContext>, token: SubgraphToken | undefined): Promise<GatewayGraphQLResponse> {
    const headers = new Map<string, string>();
    if (token) headers.set('authorization', `Bearer ${token.token}`);
    // RemoteGraphQLDataSource copies these headers into the outgoing request.
    options.request.http = { method: 'POST', url: this.url, headers: headers as never };
    return super.process(options);
  }

  /** A subgraph that cannot be reached gets a stable code; subgraph HTTP errors keep theirs. */
  private describe(error: unknown): unknown {
    // Not `instanceof`: the gateway (CommonJS) and this module (ESM) may load different graphql copies.
    if ((error as GraphQLError | undefined)?.name === 'GraphQLError') return error;
    return new GraphQLError(`Subgraph "${this.options.name}" is unavailable`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: this.options.name },
    });
  }
}
