import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { measureOperation } from '../../../router/limits/measureOperation.js';
import { BENCHMARK_QUERY } from '../../helpers/graphql.js';

const measure = (query: string) => measureOperation(parse(query));

describe('measureOperation', () => {
  it('measures depth, breadth, aliases and fields of a plain query', () => {
    expect(measure('{ a { b { c } d } e: f }')).toEqual({ depth: 3, breadth: 2, aliases: 1, fields: 5, introspection: false });
  });

  it('expands fragments where they are spread, inline fragments too', () => {
    const query = 'query { user { ...F ... on User { x: id } } } fragment F on User { name friends { name } }';
    expect(measure(query)).toEqual({ depth: 3, breadth: 3, aliases: 1, fields: 5, introspection: false });
  });

  it('counts a fragment bomb exactly without expanding it (2^30 fields)', () => {
    const levels = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
    const query = `{ ...F0 } ${levels.join(' ')} fragment F30 on Query { __typename }`;
    expect(measure(query).fields).toBe(2 ** 30);
  });

  it('treats a fragment cycle as empty instead of looping (validation refuses it later)', () => {
    expect(measure('{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }').fields).toBe(2);
  });

  it('finds introspection inside a fragment, and not in __typename', () => {
    expect(measure('{ ...I } fragment I on Query { __schema { types { name } } }').introspection).toBe(true);
    expect(measure('{ __type(name: "User") { name } }').introspection).toBe(true);
    expect(measure('{ __typename }').introspection).toBe(false);
  });

  it('takes the largest operation of a document with several', () => {
    expect(measure('query A { a } query B { b { c { d } } }').depth).toBe(3);
  });

  it('measures the benchmark query within the default limits', () => {
    const result = measure(BENCHMARK_QUERY);
    expect(result.depth).toBe(8);
    expect(result.fields).toBeLessThan(1000);
    expect(result.aliases).toBe(0);
  });
});
