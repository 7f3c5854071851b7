import type { AuthorizationDecision } from '../../lib/authorizationDecision.js';

// The public shape of `extensions.delegationTrace`, version 1. Clients build on it: change it
// only by adding optional fields, or by a new version. README.md shows an example.
// No key is named `errors` anywhere in it; failures are `outcome` and `reason`.

/** Where a subgraph token came from, as the fetch found it (a later fetch of a subgraph finds its request's token: `cache` or `coalesced`). */
export type TokenSourceName = 'cache' | 'coalesced' | 'exchange';

/**
 * How the token request behind a fetch's token went: `prefetched` (this request's plan prefetch
 * started the exchange before the fetch asked), `joined` (it joined another request's exchange in
 * flight), `cache` (the router's token cache had it: no token request), `exchanged` (a fetch
 * started the exchange itself, e.g. the retry after a 401).
 */
export type TokenObtained = 'prefetched' | 'joined' | 'cache' | 'exchanged';

/** How one fetch ended. */
export type FetchOutcome = 'ok' | 'denied' | 'unavailable' | 'failed';

/** One party of a call chain. */
export interface ChainHop {
  role: 'caller' | 'router' | 'subgraph';
  /** The user (caller), the router's client id, or the subgraph's name. */
  party: string;
  /** A subgraph reached through the broker: the subgraph that asked. */
  via?: string;
  /** caller: the client the user came through. */
  clientId?: string;
  /** subgraph: the audience of the token it received. */
  audience?: string;
  /** The jti of the token this hop received. */
  tokenJti?: string;
}

/** A call a subgraph made to another service through the router's broker (POST /delegate). */
export interface HopTrace {
  /** The service that asked (its client id) and the subgraph it called. */
  caller: string;
  target: string;
  audience: string;
  scopes: string[];
  /** The issued token's `act` chain, outermost first. */
  actorChain: string[];
  /** `issuer` (an `act` claim) or `router` (the token states none; the chain the router made). */
  actorChainAssertedBy?: 'issuer' | 'router';
  token?: { source: TokenSourceName; waitMs: number; jti: string; fingerprint: string };
  /** The call to the target, ms. */
  fetchMs: number;
  /** The response path of the field that needed this hop, when the caller named it. */
  field?: string;
  outcome: FetchOutcome;
  reason?: string;
}

/** One subgraph fetch of the query plan. */
export interface FetchTrace {
  /** Position in the order fetches started, from 0. */
  id: number;
  /** The W3C span id sent to the subgraph in `traceparent`. */
  spanId?: string;
  subgraph: string;
  audience?: string;
  /** The scopes granted to the token this fetch carried. */
  scopes: string[];
  /** The token's `act` chain, outermost (current) actor first. */
  actorChain: string[];
  /** `issuer`: the chain is the token's `act` claim; `router`: the token states none, the router recorded the chain it made. */
  actorChainAssertedBy?: 'issuer' | 'router';
  token?: {
    source: TokenSourceName;
    obtained: TokenObtained;
    /**
     * When this request's token request (its exchange, or its joining of one in flight) started
     * and ended, ms after the request started; absent for `cache`. Every fetch of a subgraph shares
     * its request's token request, so they show the same two values.
     */
    requestStartMs?: number;
    requestEndMs?: number;
    /** How long this fetch waited for its token, from when it asked until it had it, ms: 0 when the token was ready. */
    waitMs: number;
    jti: string;
    /** First 12 hex digits of the token's SHA-256. */
    fingerprint: string;
  };
  /** When the fetch started (and asked for its token), ms after the request started. */
  startMs: number;
  /** When its HTTP request was sent, once it had its token, ms after the request started; absent when none was sent (the token was refused). */
  sentMs?: number;
  /** The HTTP round trip to the subgraph, from `sentMs`, ms. */
  fetchMs: number;
  /**
   * Present when this fetch sent no request of its own: it shared the HTTP request of an identical
   * fetch in flight, usually another request's (same token, document, variables and headers).
   * The subgraph saw that fetch's `traceparent`, so calls it made through the broker are in that
   * request's trace; the response, decisions and outcome here are this request's own copy.
   */
  deduplicated?: true;
  /** Where in the response this fetch's results go ('' for root fetches), list indices as `@`. */
  planPath: string;
  /** The response field paths this fetch resolved, list indices folded as `@`. */
  resolvedFields: string[];
  outcome: FetchOutcome;
  /** For outcomes other than ok: a stable reason (OAuth error, `policy`, `unreachable`, HTTP status...). */
  reason?: string;
  /** The subgraph's own authorization decisions for this fetch. */
  authorization: AuthorizationDecision[];
  /** Calls this subgraph made through the broker while serving this fetch. */
  hops?: HopTrace[];
}

/** The chain behind one response field path. */
export interface FieldTrace {
  subgraph: string;
  /** The fetches (ids) that resolved this path. */
  fetches: number[];
  chain: ChainHop[];
  /** Present when the subgraph refused the field: the rule that decided. */
  denied?: { rule: string };
}

/**
 * One node of the query plan (`queryPlan`), as @apollo/gateway planned the operation: what runs in
 * sequence or in parallel, which subgraph each fetch asks and with which operation, and where a
 * fetch's results go (`path`, list items as `@`).
 */
export type QueryPlanNode =
  | { kind: 'Sequence' | 'Parallel'; nodes: QueryPlanNode[] }
  | { kind: 'Fetch'; serviceName: string; operationName?: string; operationKind: string; operation: string; variableUsages: string[]; requires?: string }
  | { kind: 'Flatten'; path: string; node: QueryPlanNode }
  | { kind: 'Condition'; condition: string; ifClause?: QueryPlanNode; elseClause?: QueryPlanNode }
  | { kind: 'Defer'; primary?: QueryPlanNode; deferred: { label?: string; path: string; node?: QueryPlanNode }[] }
  | { kind: 'Subscription'; primary: QueryPlanNode; rest?: QueryPlanNode };

/** `extensions.delegationTrace`, version 1. */
export interface DelegationTrace {
  version: 1;
  /** W3C trace id, also sent to every subgraph in `traceparent`. */
  traceId: string;
  /** When the request started, epoch ms with fractions: every other `…Ms` value counts from here, so outside timestamps compare with it. */
  startedAt: number;
  /** When the response was sent (the trace was attached to it), ms after the request started: the end of the timeline. */
  durationMs: number;
  request: {
    subject: string;
    clientId: string;
    operationName: string | null;
    tokenJti: string;
    tokenFingerprint: string;
  };
  fetches: FetchTrace[];
  /** Every field path of the response data (list indices folded as `@`) → the chain that produced it. */
  fields: Record<string, FieldTrace>;
  /**
   * The query plan, only when the request also sent `x-query-plan: 1`; null when the operation
   * needed no subgraph (`__typename` alone); absent when it was refused before it was planned.
   */
  queryPlan?: QueryPlanNode | null;
}
