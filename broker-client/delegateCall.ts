import { getOperationAST, parse } from 'graphql';

/** One call to another service for the same user. */
export interface DelegateCall {
  /** The user token this service received: it acts for that user, nobody else. */
  subjectToken: string;
  target: string;
  scopes: string[];
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** The path of the field that needs the call, so the router's trace can place the hop. */
  field?: string;
  /** The incoming traceparent, so the hop joins the trace of the request that caused it. */
  traceparent?: string;
}

/** The target's GraphQL answer. */
export interface DelegateResult {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

/** Each call's answer or its error, in the order of the calls. */
export type CallResults = (DelegateResult | Error)[];

/** Sends calls that share subject, target, scopes and trace; answers each in order. */
export type SendCalls = (calls: DelegateCall[]) => Promise<CallResults>;

/**
 * Whether the call is a query (a read): only those are retried, batched and eligible for the
 * fallback. A mutation, or a document that does not parse or name one operation, is not.
 */
export function isQuery(call: DelegateCall): boolean {
  try {
    return getOperationAST(parse(call.query, { noLocation: true }), call.operationName)?.operation === 'query';
  } catch {
    return false;
  }
}
