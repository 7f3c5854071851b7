import { readFileSync } from 'node:fs';

/** The public gateway benchmark's TestQuery. */
export const BENCHMARK_QUERY = readFileSync(new URL('../fixtures/query.graphql', import.meta.url), 'utf8');

/** POSTs a GraphQL request and returns the status and the raw body text. */
export async function postGraphQL(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json: () => Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}
