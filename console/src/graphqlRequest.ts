/** Thrown for input the console cannot send (bad JSON in variables or headers). */
export class InputError extends Error {}

/** What the page holds for one request: the editors' text and the trace box. */
export interface RequestInput {
  query: string;
  variables: string;
  headers: string;
  /** Ask for the delegation trace, and the query plan with it. */
  trace: boolean;
}

/** A request to /graphql as it goes on the wire. */
export interface GraphQLRequest {
  headers: Record<string, string>;
  body: string;
}

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

/**
 * The request for `input` with `authorization: Bearer <token>`: the one place both a run (the
 * session's token) and "Copy as curl" (a placeholder) build it, so the command is the request.
 * An authorization header written among the headers is replaced, never sent beside it.
 */
export function graphqlRequest(input: RequestInput, token: string): GraphQLRequest {
  const variables = parseObject('Variables', input.variables);
  const extra = parseObject('Headers', input.headers) ?? {};
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = String(value);
  headers.authorization = `Bearer ${token}`;
  if (input.trace) {
    headers['x-delegation-trace'] = '1';
    headers['x-query-plan'] = '1';
  }
  return { headers, body: JSON.stringify({ query: input.query, variables }) };
}
