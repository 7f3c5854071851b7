import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import type { Caller } from '../edge/authenticateCaller.js';
import type { AuditLog } from './auditLog.js';
import { SubgraphDecisions } from './subgraphDecisions.js';

/** How a request ended, as the audit says it. */
export type RequestOutcome = 'ok' | 'partial' | 'refused' | 'error';

/** What Apollo answered for one operation (a batched request has several). */
export interface AnsweredOperation {
  operationName?: string;
  operationType?: string;
  /** SHA-256 (hex) of the document; the document itself, which may hold literals, is never recorded. */
  documentHash?: string;
  /** The HTTP status of this operation's answer. */
  status: number;
  hasData: boolean;
  /** The `extensions.code` of each error, in order. */
  errorCodes: string[];
}

/** ok; partial: errors beside data; refused: a 4xx (with its code); error: a 5xx, or errors and no data. */
export function outcomeOf(status: number, hasData: boolean, errors: number): RequestOutcome {
  if (status >= 500) return 'error';
  if (status >= 400) return 'refused';
  if (errors === 0) return 'ok';
  return hasData ? 'partial' : 'error';
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * The audit of one POST /graphql, written when it ends: a `decisions` event per subgraph that
 * decided anything (all its fetches together), then one `request` event per operation (or one
 * for a request refused before any ran), all under the request's trace id. Holds fingerprints
 * and jtis, never a token.
 */
export class RequestAudit {
  private readonly startedAt = performance.now();
  private readonly operations: AnsweredOperation[] = [];
  private readonly decisions = new Map<string, SubgraphDecisions>();
  private refusal?: { code: string; reason?: string };
  private finished = false;

  constructor(
    private readonly audit: AuditLog,
    private readonly request: { traceId: string; caller?: Caller },
  ) {}

  /** Apollo answered one operation. */
  operationAnswered(operation: AnsweredOperation): void {
    this.operations.push(operation);
  }

  /** The request was refused before any operation ran (401, 429, a request limit, a malformed body). */
  refused(refusal: { code: string; reason?: string }): void {
    this.refusal = { code: refusal.code, ...(refusal.reason ? { reason: refusal.reason } : {}) };
  }

  /** One subgraph fetch's response: its decisions join those of the subgraph's other fetches. */
  subgraphResponded(subgraph: string, response: GatewayGraphQLResponse, planPath?: readonly (string | number)[]): void {
    let decisions = this.decisions.get(subgraph);
    if (!decisions) this.decisions.set(subgraph, (decisions = new SubgraphDecisions()));
    decisions.add(response, planPath);
  }

  /** Writes the `request` events, once; `status` is the HTTP status answered. */
  finish(status: number): void {
    if (this.finished) return;
    this.finished = true;
    const { traceId, caller } = this.request;
    for (const [subgraph, decisions] of this.decisions) {
      const event = decisions.event(subgraph, { traceId, subject: caller?.sub, client: caller?.clientId });
      if (event) this.audit.write(event);
    }
    const common = {
      event: 'request',
      traceId,
      subject: caller?.sub,
      client: caller?.clientId,
      subjectFingerprint: caller?.fingerprint.slice(0, 12),
      tokenJti: caller?.jti,
      scopesHeld: caller?.scopes,
      durationMs: round(performance.now() - this.startedAt),
    };
    if (this.operations.length === 0) {
      const code = this.refusal?.code ?? (status >= 500 ? ErrorCode.INTERNAL_SERVER_ERROR : undefined);
      this.audit.write({ ...common, outcome: outcomeOf(status, false, 1), status, code, reason: this.refusal?.reason, denials: 0 });
      return;
    }
    const batched = this.operations.length > 1;
    this.operations.forEach((operation, index) => {
      const errorCodes: Record<string, number> = {};
      for (const code of operation.errorCodes) errorCodes[code] = (errorCodes[code] ?? 0) + 1;
      // An answer refused after Apollo made it (RESPONSE_TOO_LARGE) is what the caller got.
      const answered = this.refusal ? { status, outcome: 'refused' as const, code: this.refusal.code } : undefined;
      const outcome = answered?.outcome ?? outcomeOf(operation.status, operation.hasData, operation.errorCodes.length);
      this.audit.write({
        ...common,
        ...(batched ? { batchIndex: index } : {}),
        operationName: operation.operationName,
        operationType: operation.operationType,
        documentHash: operation.documentHash,
        outcome,
        status: answered?.status ?? operation.status,
        code: answered?.code ?? (outcome === 'refused' || outcome === 'error' ? operation.errorCodes[0] : undefined),
        errorCodes: operation.errorCodes.length > 0 ? errorCodes : undefined,
        denials: errorCodes[ErrorCode.FORBIDDEN] ?? 0,
      });
    });
  }
}
