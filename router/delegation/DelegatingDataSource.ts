import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { isRefusal } from '../../lib/errors/RefusalError.js';
import type { RouterContext } from '../routerContext.js';
import type { Caller } from '../edge/authenticateCaller.js';
import type { TokenExchanger, SubgraphToken } from './tokenExchanger.js';
import type { SubgraphDelegation } from './checkDelegationPolicy.js';
import { fetchToken } from './requestToken.js';
import { timeTokenRequest, type TimedToken } from './tokenTiming.js';
import { toGraphQLError } from './delegationRefusals.js';
import { NO_OBSERVER, type FetchObserver } from '../trace/traceRecorder.js';
import { parseTraceparent, traceparent } from '../trace/traceContext.js';
import { fetchFailureReason, subgraphFetch } from './subgraphFetch.js';
import type { HttpPost } from '../../lib/http/httpPost.js';
import { SharedFetches } from './sharedFetches.js';
import { isShareableFetch } from './fetchShareKey.js';

export interface DelegatingDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  /** Largest response body accepted from the subgraph. */
  maxResponseBytes: number;
  delegation: SubgraphDelegation;
  exchanger: TokenExchanger;
  /** Called after each fetch with its outcome and duration (metrics). */
  onFetch?: (subgraph: string, outcome: 'ok' | 'failed', seconds: number) => void;
  /** Called with each response the subgraph sent (its authorization decisions are counted). */
  onResponse?: (subgraph: string, response: GatewayGraphQLResponse) => void;
  /** Identical query fetches in flight together (same token, document, variables, headers) share one HTTP request. */
  deduplicate?: boolean;
  /** Called when a fetch joins an identical one in flight instead of sending its own (metrics). */
  onDeduplicated?: (subgraph: string) => void;
  /** The HTTP client (httpPost, which holds to the timeout and size limit); replaced only in unit tests. */
  post?: HttpPost;
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
  private readonly shared?: SharedFetches;

  constructor(options: DelegatingDataSourceOptions) {
    super({ url: options.url });
    this.options = options;
    // node:http with kept-alive connections, a per-subgraph timeout and response size limit.
    const fetcher = subgraphFetch(options.timeoutMs, options.maxResponseBytes, options.post);
    this.fetcher = fetcher as unknown as typeof this.fetcher;
    if (options.deduplicate) this.shared = new SharedFetches(fetcher);
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    const done = (outcome: 'ok' | 'failed') => this.options.onFetch?.(this.options.name, outcome, (performance.now() - started) / 1000);
    try {
      const response = await this.delegateAndSend(options);
      done('ok');
      return response;
    } catch (error) {
      done('failed');
      throw error;
    }
  }

  private async delegateAndSend(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<GatewayGraphQLResponse> {
    const context = options.context as RouterContext;
    const incoming = 'pathInIncomingRequest' in options ? options : undefined;
    const observer = context.trace?.observeFetch(this.options.name, incoming?.pathInIncomingRequest, incoming?.document ?? options.request.query) ?? NO_OBSERVER;
    const caller = context.caller;
    if (!caller) return this.send(options, undefined, observer);
    const { exchanger, name, delegation } = this.options;
    const first = await this.obtain(fetchToken(context.subgraphTokens, { caller, subgraph: name, delegation, exchanger, report: context.reportDelegation, spans: context.spans, traceId: context.traceId }), observer);
    try {
      return await this.send(options, first, observer);
    } catch (error) {
      // A subgraph that refuses a token we reused (revoked key, clock drift) gets exactly one
      // retry with a freshly exchanged token; a fresh token refused is final.
      if (httpStatusOf(error) !== 401 || first.source === 'exchange') throw this.describe(error, observer);
      await exchanger.evict(first.key);
      const fresh = await this.obtain(timeTokenRequest(() => exchanger.tokenFor(caller as Caller, name, delegation, undefined, { traceId: context.traceId })), observer);
      try {
        return await this.send(options, fresh, observer);
      } catch (retryError) {
        throw this.describe(retryError, observer);
      }
    }
  }

  private async obtain(pending: Promise<TimedToken>, observer: FetchObserver): Promise<SubgraphToken> {
    try {
      const { token, timing } = await pending;
      observer.tokenObtained(token, timing);
      return token;
    } catch (error) {
      if (isRefusal(error, ErrorCode.DELEGATION_DENIED)) observer.failed('denied', error.reason!);
      else if (isRefusal(error, ErrorCode.DELEGATION_UNAVAILABLE)) observer.failed('unavailable', error.reason!);
      else throw error;
      throw toGraphQLError(error);
    }
  }

  private async send(options: GraphQLDataSourceProcessOptions<RouterContext>, token: SubgraphToken | undefined, observer: FetchObserver) {
    const headers = new Map<string, string>();
    if (token) headers.set('authorization', `Bearer ${token.token}`);
    // Every subgraph call carries the request's W3C trace context (the fetch's own span when telemetry is on).
    const context = options.context as RouterContext;
    const otelSpan = context.spans?.openHttpClient('deputy.subgraph_fetch', 'POST', this.url, { 'deputy.subgraph': this.options.name });
    const header = otelSpan?.traceparent ?? traceparent(context.traceId).header;
    headers.set('traceparent', header);
    // RemoteGraphQLDataSource copies these headers into the outgoing request.
    options.request.http = { method: 'POST', url: this.url, headers: headers as never };
    observer.sending(parseTraceparent(header)?.parentId);
    const onJoined = () => {
      observer.deduplicated();
      otelSpan?.setAttributes({ 'deputy.deduplicated': true });
      this.options.onDeduplicated?.(this.options.name);
    };
    try {
      const response = this.shared && isShareableFetch(options) ? await this.processShared(options, onJoined) : await super.process(options);
      otelSpan?.responded(response.http?.status ?? 200);
      otelSpan?.end();
      observer.completed(response);
      this.options.onResponse?.(this.options.name, response);
      context.requestAudit?.subgraphResponded(this.options.name, response, 'pathInIncomingRequest' in options ? options.pathInIncomingRequest : undefined);
      return response;
    } catch (error) {
      const status = httpStatusOf(error);
      if (status) otelSpan?.responded(status);
      otelSpan?.end(status ? undefined : fetchFailureReason(error));
      throw error;
    }
  }

  /**
   * RemoteGraphQLDataSource sends through `this.fetcher(url, init)`, which knows nothing of the
   * request: a fetch that may share runs through a view of this data source whose fetcher joins
   * an identical request in flight (same URL, headers and body as sent; see fetchShareKey). All
   * else stays per request: headers, parsing, errors, cache hints.
   */
  private processShared(options: GraphQLDataSourceProcessOptions<RouterContext>, onJoined: () => void): Promise<GatewayGraphQLResponse> {
    const view = Object.create(this, { fetcher: { value: this.shared!.fetcherFor(onJoined) } }) as this;
    return super.process.call(view, options);
  }

  /**
   * A failed fetch as a typed error: SUBGRAPH_REFUSED for a 401/403 (after the one retry),
   * SUBGRAPH_UNAVAILABLE otherwise, each with a stable reason. The gateway's own error
   * (which carries the subgraph's URL and body) is not passed on.
   */
  private describe(error: unknown, observer: FetchObserver): GraphQLError {
    const subgraph = this.options.name;
    const status = httpStatusOf(error);
    if (status === 401 || status === 403) {
      observer.failed('failed', `http_${status}`);
      return new GraphQLError(`Subgraph "${subgraph}" refused the delegated token (HTTP ${status})`, {
        extensions: { code: ErrorCode.SUBGRAPH_REFUSED, subgraph, reason: `http_${status}` },
      });
    }
    const reason = status ? `http_${status}` : fetchFailureReason(error);
    observer.failed(status ? 'failed' : 'unavailable', reason);
    return new GraphQLError(`Subgraph "${subgraph}" is unavailable (${reason})`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph, reason },
    });
  }
}
