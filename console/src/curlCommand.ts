import { graphqlRequest, type RequestInput } from './graphqlRequest.js';

/** What stands for the token in a copied command: the reader puts their own there. */
export const TOKEN_PLACEHOLDER = '<token>';

/** A POSIX shell word: single-quoted, each quote inside as '\'' (the only character to escape). */
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The `curl` command sending what Run would send to `endpoint`, with TOKEN_PLACEHOLDER instead of
 * the session's token: it is built without the token, so it cannot leak one.
 */
export function curlCommand(endpoint: string, input: RequestInput): string {
  const { headers, body } = graphqlRequest(input, TOKEN_PLACEHOLDER);
  return [`curl ${quote(endpoint)}`, ...Object.entries(headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`), `--data-raw ${quote(body)}`].join(' \\\n  ');
}
