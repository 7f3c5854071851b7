import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldsUsed } from '../../../../router/usage/fieldsUsed.js';
import { createFieldsUsedCache } from '../../../../router/usage/fieldsUsedCache.js';
import { usageSchema } from './usageSchema.js';

/** A cache whose walks are counted. */
function countingCache(maxEntries?: number) {
  const walks: string[] = [];
  const walk = (schema: GraphQLSchema, document: DocumentNode, operationName?: string) => {
    walks.push(operationName ?? '');
    return fieldsUsed(schema, document, operationName);
  };
  return { cache: createFieldsUsedCache({ maxEntries, walk }), walks };
}

const document = parse(`query A { authors { name } } query B { book(id: "1") { title } }`);

describe('the fields-used cache', () => {
  it('returns the same frozen array for the same document and schema without walking again', () => {
    const { cache, walks } = countingCache();
    const schema = usageSchema();
    const first = cache.get(schema, document, 'hash', 'A');
    const second = cache.get(schema, parse(`query A { authors { name } } query B { book(id: "1") { title } }`), 'hash', 'A');
    expect(second).toBe(first);
    expect(first).toEqual(['Query.authors', 'Author.name']);
    expect(Object.isFrozen(first)).toBe(true);
    expect(walks).toEqual(['A']);
  });

  it('keeps each operation of one document apart', () => {
    const { cache, walks } = countingCache();
    const schema = usageSchema();
    expect(cache.get(schema, document, 'hash', 'A')).toEqual(['Query.authors', 'Author.name']);
    expect(cache.get(schema, document, 'hash', 'B')).toEqual(['Query.book', 'Book.title']);
    cache.get(schema, document, 'hash', 'B');
    expect(walks).toEqual(['A', 'B']);
  });

  it('walks again for a new schema object, as after a publish', () => {
    const { cache, walks } = countingCache();
    cache.get(usageSchema(), document, 'hash', 'A');
    cache.get(usageSchema(), document, 'hash', 'A');
    expect(walks).toEqual(['A', 'A']);
  });

  it('drops the least recently used document beyond its bound', () => {
    const { cache, walks } = countingCache(2);
    const schema = usageSchema();
    cache.get(schema, document, 'one', 'A');
    cache.get(schema, document, 'two', 'A');
    cache.get(schema, document, 'one', 'A');
    cache.get(schema, document, 'three', 'A');
    expect(walks).toHaveLength(3);
    cache.get(schema, document, 'one', 'A');
    expect(walks).toHaveLength(3);
    cache.get(schema, document, 'two', 'A');
    expect(walks).toHaveLength(4);
  });

  it('walks every time when there is no document key', () => {
    const { cache, walks } = countingCache();
    const schema = usageSchema();
    cache.get(schema, document, undefined, 'A');
    cache.get(schema, document, undefined, 'A');
    expect(walks).toHaveLength(2);
  });
});
