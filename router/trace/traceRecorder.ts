import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { AuthorizationDecision } from '../../lib/authorizationDecision.js';
import type { Caller } from '../edge/authenticateCaller.js';
import type { SubgraphToken } from '../delegation/tokenExchanger.js';
import type { FetchOutcome, FetchTrace, HopTrace, QueryPlanNode } from './delegationTrace.js';
import type { QueryPlan } from '@apollo/query-planner';
import { describeQueryPlan } from './describeQueryPlan.js';
import type { DocumentNode } from 'graphql';
import { foldPath, plannedPaths, resolvedPaths, responsePathOf } from './foldPath.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { performanceClock, type Clock, type TokenTiming } from '../delegation/tokenTiming.js';

/** What a fetch reports while it runs; a no-op on untraced requests. */
export interface FetchObserver {
  /** The fetch has its token; `timing` says when its token request ran and how long the fetch waited. */
  tokenObtained(token: SubgraphToken, timing: TokenTiming): void;
  sending(spanId?: string): void;
  /** The fetch joined an identical one in flight (usually another request's) instead of sending its own. */
  deduplicated(): void;
  completed(response: GatewayGraphQLResponse): void;
  failed(outcome: Exclude<FetchOutcome, 'ok'>, reason: string): void;
}

/** The observer of untraced requests: no bookkeeping at all. */
export const NO_OBSERVER: FetchObserver = { tokenObtained() {}, sending() {}, deduplicated() {}, completed() {}, failed() {} };

interface Denial {
  rule: string;
}

/** Collects one traced request's fetches as they happen, on one clock from the request's start. */
export class TraceRecorder {
  /** The request's start on the clock (performance.now()'s time line by default). */
  readonly startedAt: number;
  readonly fetches: FetchTrace[] = [];
  /** Response path → the rule that denied it. */
  readonly denials = new Map<string, Denial>();
  /** The plan, described once it is known, when it was asked for (undefined: not asked, or not planned). */
  queryPlan?: QueryPlanNode | null;
  /** Whether the request asked for the query plan too (`x-query-plan: 1`). */
  readonly withQueryPlan: boolean;
  private readonly now: Clock;

  constructor(
    readonly traceId: string,
    readonly caller: Caller,
    /** `withQueryPlan`: the request asked for the query plan too (`x-query-plan: 1`); `now` is replaced only in unit tests (token timings must be on the same clock). */
    options: { withQueryPlan?: boolean; now?: Clock } = {},
  ) {
    this.withQueryPlan = options.withQueryPlan ?? false;
    this.now = options.now ?? performanceClock;
    this.startedAt = this.now();
  }

  /** The gateway planned the operation: keep the plan if it was asked for. */
  planned(plan: QueryPlan): void {
    if (this.withQueryPlan) this.queryPlan = describeQueryPlan(plan);
  }

  /** Starts recording one fetch of `subgraph` whose results go to `planPath`. */
  observeFetch(subgraph: string, planPath: readonly (string | number)[] | undefined, operation?: DocumentNode | string): FetchObserver {
    const path = (planPath ?? []).map(String);
    const entry: FetchTrace = {
      id: this.fetches.length,
      subgraph,
      scopes: [],
      actorChain: [],
      startMs: this.elapsed(),
      fetchMs: 0,
      planPath: foldPath(path),
      resolvedFields: [],
      outcome: 'ok',
      authorization: [],
    };
    this.fetches.push(entry);
    let sentAt = 0;
    return {
      tokenObtained: (token, timing) => {
        entry.audience = token.audience;
        entry.scopes = token.scopes;
        entry.actorChain = token.actorChain;
        entry.actorChainAssertedBy = token.actorChainAssertedBy;
        const request = timing.request ? { requestStartMs: this.since(timing.request.startedAt), requestEndMs: this.since(timing.request.endedAt) } : {};
        entry.token = { source: token.source, obtained: timing.obtained, ...request, waitMs: round(timing.waitMs), jti: token.jti, fingerprint: token.fingerprint };
      },
      sending: (spanId) => {
        sentAt = this.now();
        entry.sentMs = this.since(sentAt);
        if (spanId) entry.spanId = spanId;
      },
      deduplicated: () => {
        entry.deduplicated = true;
      },
      completed: (response) => {
        entry.fetchMs = round(this.now() - sentAt);
        entry.resolvedFields = resolvedPaths(response.data, path);
        const report = response.extensions?.authorization as { decisions?: AuthorizationDecision[] } | undefined;
        entry.authorization = report?.decisions ?? [];
        for (const error of response.errors ?? []) {
          const rule = error.extensions?.rule;
          if (error.extensions?.code === ErrorCode.FORBIDDEN && typeof rule === 'string' && error.path) {
            this.denials.set(responsePathOf(error.path, path), { rule });
          }
        }
      },
      failed: (outcome, reason) => {
        if (sentAt) entry.fetchMs = round(this.now() - sentAt);
        entry.outcome = outcome;
        entry.reason = reason;
        entry.resolvedFields = plannedPaths(operation, path);
      },
    };
  }

  /** Attaches a brokered hop to the fetch whose span made it (the parent id of the /delegate call). */
  recordHop(parentSpanId: string, hop: HopTrace, subgraphField?: string): boolean {
    const fetch = this.fetches.find((candidate) => candidate.spanId === parentSpanId);
    if (!fetch) return false;
    // The caller names its field by its own path; place it in the response under the fetch's plan path.
    if (subgraphField) {
      const segments = subgraphField.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
      hop.field = responsePathOf(segments, fetch.planPath ? fetch.planPath.split('.') : []);
    }
    (fetch.hops ??= []).push(hop);
    return true;
  }

  /** Ms from the request's start until now. */
  elapsed(): number {
    return this.since(this.now());
  }

  /** Ms from the request's start until `time` (on the recorder's clock), rounded. */
  since(time: number): number {
    return round(time - this.startedAt);
  }

  /** The request's start as epoch ms with fractions, to compare with timestamps taken elsewhere (same host). */
  startedAtEpoch(): number {
    return round(performance.timeOrigin + this.startedAt);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
