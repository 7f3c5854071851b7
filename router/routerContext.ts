import type { Caller } from './edge/authenticateCaller.js';
import type { RequestTokenEntry } from './delegation/requestToken.js';
import type { SubgraphToken } from './delegation/tokenExchanger.js';
import type { TraceRecorder } from './trace/traceRecorder.js';
import type { RequestSpans } from './observability/telemetry.js';
import type { RequestAudit } from './audit/requestAudit.js';

/** A non-fatal notice returned in `extensions.warnings`. */
export interface RouterWarning {
  code: string;
  message: string;
}

/** The per-request context the router's gateway hooks see. */
export interface RouterContext {
  /** The verified caller; undefined only for an anonymous request when anonymous access is on. */
  caller?: Caller;
  /** This request's subgraph tokens, by subgraph: every fetch of one subgraph shares one. */
  subgraphTokens: Map<string, RequestTokenEntry>;
  /** The W3C trace id of this request (continued from an incoming traceparent, else new). */
  traceId: string;
  /** Reports how this request's token for one subgraph was settled (audit), once per subgraph. */
  reportDelegation?: (subgraph: string, outcome: { token?: SubgraphToken; error?: unknown; ms: number }) => void;
  /** The audit of this request: its `request` events and the decisions its subgraphs report. */
  requestAudit?: RequestAudit;
  /** OpenTelemetry spans of this request, when telemetry is on. */
  spans?: RequestSpans;
  /** Present only when a delegation trace was asked for and is allowed. */
  trace?: TraceRecorder;
  warnings: RouterWarning[];
}
