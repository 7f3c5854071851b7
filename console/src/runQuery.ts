import type { DelegationTrace } from '../../router/publishedTypes.js';
import { graphqlRequest, type RequestInput } from './graphqlRequest.js';

export { InputError } from './graphqlRequest.js';

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

/** POSTs the query to the router's /graphql, with the caller's token and, if asked, the trace and plan headers. */
export async function runQuery(input: RequestInput & { token: string }): Promise<QueryResult> {
  const { headers, body } = graphqlRequest(input, input.token);
  const response = await fetch('/graphql', { method: 'POST', headers, body });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as QueryResult['body'] };
  } catch {
    return { status: response.status, body: { errors: [{ message: `The router answered HTTP ${response.status} with something other than JSON` }] } };
  }
}
