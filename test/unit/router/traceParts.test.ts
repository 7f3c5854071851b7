import { describe, expect, it } from 'vitest';
import { foldPath, plannedPaths, resolvedPaths, responsePathOf } from '../../../router/trace/foldPath.js';
import { traceAllowed } from '../../../router/trace/tracePolicy.js';
import { parseTraceparent, traceIdFrom, traceparent } from '../../../router/trace/traceContext.js';
import type { Caller } from '../../../router/edge/authenticateCaller.js';

const caller = (scopes: string[]) => ({ scopes }) as unknown as Caller;

describe('trace building blocks', () => {
  it('folds list indices as @', () => {
    expect(foldPath(['users', 3, 'reviews', 0, 'body'])).toBe('users.@.reviews.@.body');
  });

  it('lists the paths an entity fetch resolved under its plan path, without __typename', () => {
    const data = { _entities: [{ __typename: 'Product', inStock: true, reviews: [{ id: '1' }] }, { inStock: false, reviews: [] }] };
    expect(resolvedPaths(data, ['users', '@', 'reviews', '@', 'product']).sort()).toEqual([
      'users.@.reviews.@.product.inStock',
      'users.@.reviews.@.product.reviews',
      'users.@.reviews.@.product.reviews.@.id',
    ]);
    expect(resolvedPaths({ users: [{ id: '1' }] }, []).sort()).toEqual(['users', 'users.@.id']);
  });

  it('maps a subgraph error path onto the response', () => {
    expect(responsePathOf(['_entities', 4, 'inStock'], ['topProducts', '@'])).toBe('topProducts.@.inStock');
    expect(responsePathOf(['users', 2, 'birthday'], [])).toBe('users.@.birthday');
  });

  it('names the fields a failed fetch was planned to fill', () => {
    expect(plannedPaths('{ topProducts { name } me: users { id } }', [])).toEqual(['topProducts', 'me']);
    expect(plannedPaths('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { __typename inStock } } }', ['topProducts', '@'])).toEqual([
      'topProducts.@.inStock',
    ]);
  });

  it('applies the trace policy', () => {
    expect(traceAllowed({ mode: 'never', scope: 'trace:read' }, caller(['trace:read'])).allowed).toBe(false);
    expect(traceAllowed({ mode: 'always', scope: 'trace:read' }, caller([])).allowed).toBe(true);
    expect(traceAllowed({ mode: 'scope', scope: 'trace:read' }, caller(['trace:read'])).allowed).toBe(true);
    expect(traceAllowed({ mode: 'scope', scope: 'trace:read' }, caller(['inventory:read'])).allowed).toBe(false);
  });

  it('continues an incoming W3C trace and starts one otherwise', () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceIdFrom(incoming)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdFrom('garbage')).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdFrom('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).not.toBe('00000000000000000000000000000000');
    const span = traceparent('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.header).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${span.spanId}-01`);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(parseTraceparent(span.header)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: span.spanId });
  });
});
