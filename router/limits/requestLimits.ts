import { GraphQLError, parse } from 'graphql';
import { RefusalError } from '../../lib/errors/RefusalError.js';
import { ErrorCode, type ErrorCodeValue } from '../../lib/errors/errorCodes.js';
import type { GraphQLHttpRequest } from '../../lib/http/serveGraphQL.js';
import type { RouterConfig } from '../config/configSchema.js';
import { measureOperation, type OperationMeasure } from './measureOperation.js';

/** What one request may ask for (router.yaml `limits`, README "Request limits"). */
export interface RequestLimits {
  maxDepth: number;
  maxBreadth: number;
  maxAliases: number;
  maxFields: number;
  maxTokens: number;
  maxVariablesBytes: number;
  maxBatchSize: number;
  introspection: boolean;
  maxCost: number;
  defaultListSize: number;
  listSizes: Record<string, number>;
  maxResponseBytes: number;
  maxConcurrentPerSubject: number;
}

/** The limits of a configuration: introspection follows `mode` unless `limits.introspection` says otherwise. */
export function limitsOf(config: RouterConfig): RequestLimits {
  const { introspection, ...sizes } = config.limits;
  return { ...sizes, introspection: introspection ? introspection === 'allow' : config.mode === 'development' };
}

/** Checks one GraphQL HTTP request against the limits; throws a RefusalError (400) when it asks too much. */
export type RequestChecker = (request: GraphQLHttpRequest) => void;

/** Verdicts kept per query text, so a repeated query (or a repeated attack) is checked once. */
const VERDICT_CACHE_SIZE = 1000;

const MEASURED_LIMITS: { key: Exclude<keyof OperationMeasure, 'introspection'>; limit: 'maxDepth' | 'maxBreadth' | 'maxAliases' | 'maxFields'; code: ErrorCodeValue; what: string }[] = [
  { key: 'depth', limit: 'maxDepth', code: ErrorCode.QUERY_TOO_DEEP, what: 'nests fields deeper than' },
  { key: 'fields', limit: 'maxFields', code: ErrorCode.QUERY_TOO_COMPLEX, what: 'expands (fragments included) to more fields than' },
  { key: 'aliases', limit: 'maxAliases', code: ErrorCode.TOO_MANY_ALIASES, what: 'uses more aliases than' },
  { key: 'breadth', limit: 'maxBreadth', code: ErrorCode.QUERY_TOO_BROAD, what: 'selects more fields in one selection set than' },
];

/** A request over one of the limits: 400, the limit's code, and the limit. */
function overLimit(code: ErrorCodeValue, message: string, limit?: number): RefusalError {
  return new RefusalError({ status: 400, code, message, details: limit === undefined ? {} : { limit }, name: 'RequestLimit' });
}

/**
 * Builds the request checker. Everything here runs before Apollo parses, validates or plans
 * the operation, so a refused request costs no subgraph fetch and no token exchange.
 */
export function createRequestChecker(limits: RequestLimits): RequestChecker {
  const verdicts = new Map<string, RefusalError | null>();

  const checkQuery = (query: string) => {
    let verdict = verdicts.get(query);
    if (verdict === undefined) {
      verdict = judge(query, limits);
      if (verdicts.size >= VERDICT_CACHE_SIZE) verdicts.delete(verdicts.keys().next().value as string);
      verdicts.set(query, verdict);
    }
    if (verdict) throw verdict;
  };

  const checkOne = (query: unknown, variables: unknown) => {
    let size: number;
    try {
      size = typeof variables === 'string' ? Buffer.byteLength(variables) : variables == null ? 0 : Buffer.byteLength(JSON.stringify(variables));
    } catch {
      // Too deep to serialize (bodies are depth-limited when read; this is the second line).
      size = Infinity;
    }
    if (size > limits.maxVariablesBytes) throw overLimit(ErrorCode.VARIABLES_TOO_LARGE, `The variables exceed ${limits.maxVariablesBytes} bytes`, limits.maxVariablesBytes);
    if (typeof query === 'string') checkQuery(query);
  };

  return ({ method, body, search }) => {
    if (method === 'GET') {
      const params = new URLSearchParams(search);
      checkOne(params.get('query') ?? undefined, params.get('variables') ?? undefined);
      return;
    }
    const operations = Array.isArray(body) ? body : [body];
    if (Array.isArray(body) && body.length > limits.maxBatchSize) {
      throw overLimit(ErrorCode.BATCH_TOO_LARGE, `This router accepts at most ${limits.maxBatchSize} operation(s) per request; the batch has ${body.length}`, limits.maxBatchSize);
    }
    for (const operation of operations) {
      if (operation && typeof operation === 'object') checkOne((operation as { query?: unknown }).query, (operation as { variables?: unknown }).variables);
    }
  };
}

/** The refusal for one query text, or null when it is within the limits (or for Apollo to report as invalid). */
function judge(query: string, limits: RequestLimits): RefusalError | null {
  try {
    const measure = measureOperation(parse(query, { maxTokens: limits.maxTokens, noLocation: true }));
    if (measure.introspection && !limits.introspection) {
      return overLimit(ErrorCode.INTROSPECTION_DISABLED, 'Introspection (__schema, __type) is disabled on this router');
    }
    for (const { key, limit, code, what } of MEASURED_LIMITS) {
      if (measure[key] > limits[limit]) return overLimit(code, `The query ${what} ${limits[limit]}`, limits[limit]);
    }
    return null;
  } catch (error) {
    // graphql-js stops parsing at maxTokens (its message says "more that" in 16.x); any other syntax error is Apollo's to report.
    if (error instanceof GraphQLError && /more tha[nt] \d+ tokens/.test(error.message)) {
      return overLimit(ErrorCode.QUERY_TOO_LARGE, `The query has more than ${limits.maxTokens} tokens`, limits.maxTokens);
    }
    return null;
  }
}
