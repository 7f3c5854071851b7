import { describe, expect, it } from 'vitest';
import { curlCommand, TOKEN_PLACEHOLDER } from '../../../console/src/curlCommand.js';
import { InputError } from '../../../console/src/graphqlRequest.js';

// "Copy as curl": the request Run would send, with <token> in place of the session's token.

const input = { query: "{ topProducts { name } }", variables: '{ "first": 2 }', headers: '{}', trace: false };

/** The words of a command as a POSIX shell reads single-quoted words and line continuations. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i];
    if (char === "'") {
      const end = command.indexOf("'", i + 1);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (char === '\\' && command[i + 1] === '\n') i++;
    else if (char === '\\') word = (word ?? '') + command[++i];
    else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + char;
  }
  if (word !== undefined) words.push(word);
  return words;
}

describe('curlCommand', () => {
  it('posts the query and variables as JSON to the endpoint, with the placeholder as the bearer token', () => {
    const words = shellWords(curlCommand('http://127.0.0.1:4000/graphql', input));
    expect(words).toEqual([
      'curl',
      'http://127.0.0.1:4000/graphql',
      '-H',
      'content-type: application/json',
      '-H',
      `authorization: Bearer ${TOKEN_PLACEHOLDER}`,
      '--data-raw',
      JSON.stringify({ query: input.query, variables: { first: 2 } }),
    ]);
  });

  it("quotes a query with single quotes so the shell gives it back unchanged", () => {
    const query = `{ user(id: "it's") { username } } # don't`;
    const words = shellWords(curlCommand('http://127.0.0.1:4000/graphql', { ...input, query }));
    expect(JSON.parse(words.at(-1)!).query).toBe(query);
  });

  it('adds the headers written beside the query and the trace headers, and replaces a written authorization instead of sending it', () => {
    const command = curlCommand('http://127.0.0.1:4000/graphql', { ...input, headers: '{ "Authorization": "Bearer secret-of-mine", "traceparent": "00-abc" }', trace: true });
    const headers = shellWords(command).filter((_word, i, words) => words[i - 1] === '-H');
    expect(headers).toEqual(['content-type: application/json', 'authorization: Bearer <token>', 'traceparent: 00-abc', 'x-delegation-trace: 1', 'x-query-plan: 1']);
    expect(command).not.toContain('secret-of-mine');
  });

  it('refuses variables or headers that are not a JSON object, as Run does', () => {
    expect(() => curlCommand('http://x/graphql', { ...input, variables: '[1]' })).toThrow(InputError);
    expect(() => curlCommand('http://x/graphql', { ...input, headers: '{ nope' })).toThrow('Headers must be a JSON object');
  });
});
