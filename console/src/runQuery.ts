import type { DelegationTrace } from '../../router/publishedTypes.js';

/** A GraphQL error as the router reports it. */
export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; reason?: string; subgraph?: string; rule?: string; [key: string]: unknown };
}

/** What one run gave back. */
export interface QueryResult {
  status: number;
  body: { data?: unknown; errors?: GraphQLErrorShape[]; extensions?: { delegationTrace?: DelegationTrace; warnings?: { code: string; message: string }[] } };
}

/** Thrown for input the console cannot send (bad JSON in variables or headers). */
export class InputError extends Error {}

function parseObject(label: string, text: string): Record<string, unknown> | undefined {
  if (!text.trim()) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new InputError(`${label} must be a JSON object`);
}

/** POSTs the query to the router's /graphql, with the caller's token and, if asked, the trace header. */
export async function runQuery(input: { token: string; query: string; variables: string; headers: string; trace: boolean }): Promise<QueryResult> {
  const variables = parseObject('Variables', input.variables);
  const extra = parseObject('Headers', input.headers) ?? {};
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = String(value);
  headers.authorization = `Bearer ${input.token}`;
  if (input.trace) headers['x-delegation-trace'] = '1';
  const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: input.query, variables }) });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as QueryResult['body'] };
  } catch {
    return { status: response.status, body: { errors: [{ message: `The router answered HTTP ${response.status} with something other than JSON` }] } };
  }
}
