import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { readsOnlyServiceSdl, sdlReaderRefusal, type DeputyIdentity } from '../../../subgraph-kit/index.js';

// What an SDL reader (the router's own token) may run: `_service { sdl }` and nothing else,
// whatever the spelling (fragments, aliases, several operations).

const reads = (query: string, operationName?: string | null) => readsOnlyServiceSdl(parse(query), operationName);

describe('readsOnlyServiceSdl', () => {
  it.each([
    ['the plain query', '{ _service { sdl } }'],
    ['a named query', 'query ServiceSdl { _service { sdl } }'],
    ['aliases', '{ service: _service { schema: sdl } }'],
    ['__typename beside them', '{ __typename _service { __typename sdl } }'],
    ['a fragment on the root', 'query { ...Root } fragment Root on Query { _service { sdl } }'],
    ['a fragment on _Service', '{ _service { ...Sdl } } fragment Sdl on _Service { sdl }'],
    ['nested fragments', '{ ...A } fragment A on Query { ...B } fragment B on Query { _service { ... on _Service { sdl } } }'],
    ['an inline fragment', '{ ... on Query { _service { sdl } } }'],
    ['_service asked only for its __typename', '{ _service { __typename } }'],
    ['@include and @skip', 'query($yes: Boolean!) { _service { sdl @include(if: $yes) __typename @skip(if: true) } }'],
  ])('allows %s', (_what, query) => {
    expect(reads(query)).toBe(true);
  });

  it.each([
    ['a real field', '{ topProducts { upc } }'],
    ['a real field beside _service', '{ _service { sdl } topProducts { upc } }'],
    ['a real field aliased as _service', '{ _service: topProducts { sdl: upc } }'],
    ['_entities', '{ _entities(representations: [{ __typename: "Product", upc: "1" }]) { __typename } }'],
    ['introspection (__schema)', '{ __schema { types { name } } }'],
    ['introspection (__type)', '{ __type(name: "Query") { name } }'],
    ['introspection beside _service', '{ _service { sdl } __schema { queryType { name } } }'],
    ['a mutation', 'mutation { _service { sdl } }'],
    ['a subscription', 'subscription { _service { sdl } }'],
    ['a real field in a fragment', '{ ...Root } fragment Root on Query { _service { sdl } topProducts { upc } }'],
    ['a real field in an inline fragment', '{ _service { sdl } ... on Query { me { id } } }'],
    ['a fragment the document lacks', '{ ...Missing }'],
    ['a fragment spread inside itself', '{ ...A } fragment A on Query { _service { sdl } ...A }'],
    ['another directive', '{ _service @defer { sdl } }'],
    ['a directive on the operation', 'query Q @something { _service { sdl } }'],
  ])('refuses %s', (_what, query) => {
    expect(reads(query)).toBe(false);
  });

  it('judges the operation that runs: the one named, else the only one', () => {
    const two = 'query Sdl { _service { sdl } } query Products { topProducts { upc } }';
    expect(reads(two, 'Sdl')).toBe(true);
    expect(reads(two, 'Products')).toBe(false);
    // Several operations and no name, or a name the document lacks: nothing runs that is known to be safe.
    expect(reads(two)).toBe(false);
    expect(reads(two, 'Other')).toBe(false);
    expect(reads('{ _service { sdl } }', 'Sdl')).toBe(false);
    expect(reads('fragment A on Query { _service { sdl } }')).toBe(false);
  });
});

describe('sdlReaderRefusal', () => {
  const identity = (changes: Partial<DeputyIdentity> = {}): DeputyIdentity => ({
    subject: 'deputy-router', clientId: 'deputy-router', scopes: [], actorChain: [], tokenId: 'j', fingerprint: 'f', expiresAt: 0, claims: {}, ...changes,
  });

  it('refuses an SDL reader any other operation as 401 UNAUTHENTICATED, reason not_delegated', () => {
    const refusal = sdlReaderRefusal(identity({ sdlReaderOnly: true }), parse('{ topProducts { upc } }'));
    expect(refusal).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'not_delegated' });
    expect(sdlReaderRefusal(identity({ sdlReaderOnly: true }), parse('{ _service { sdl } }'))).toBeUndefined();
  });

  it('leaves every other caller to its rules', () => {
    expect(sdlReaderRefusal(identity({ subject: 'alice', actorChain: ['deputy-router'] }), parse('{ topProducts { upc } }'))).toBeUndefined();
    expect(sdlReaderRefusal(undefined, parse('{ __schema { types { name } } }'))).toBeUndefined();
  });
});
