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

/** What a fetch reports while it runs; a no-op on untraced requests. */
export interface FetchObserver {
  tokenObtained(token: SubgraphToken): void;
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

/** Collects one traced request's fetches as they happen. */
export class TraceRecorder {
  readonly startedAt = performance.now();
  readonly fetches: FetchTrace[] = [];
  /** Response path → the rule that denied it. */
  readonly denials = new Map<string, Denial>();
  /** The plan, described once it is known, when it was asked for (undefined: not asked, or not planned). */
  queryPlan?: QueryPlanNode | null;

  constructor(
    readonly traceId: string,
    readonly caller: Caller,
    /** Whether the request asked for the query plan too (`x-query-plan: 1`). */
    readonly withQueryPlan = false,
  ) {}

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
      tokenObtained: (token) => {
        entry.audience = token.audience;
        entry.scopes = token.scopes;
        entry.actorChain = token.actorChain;
        entry.actorChainAssertedBy = token.actorChainAssertedBy;
        entry.token = { source: token.source, waitMs: round(token.waitMs), jti: token.jti, fingerprint: token.fingerprint };
      },
      sending: (spanId) => {
        sentAt = performance.now();
        if (spanId) entry.spanId = spanId;
      },
      deduplicated: () => {
        entry.deduplicated = true;
      },
      completed: (response) => {
        entry.fetchMs = round(performance.now() - sentAt);
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
        if (sentAt) entry.fetchMs = round(performance.now() - sentAt);
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

  elapsed(): number {
    return round(performance.now() - this.startedAt);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
