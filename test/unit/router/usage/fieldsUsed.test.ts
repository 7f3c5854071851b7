import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldsUsed } from '../../../../router/usage/fieldsUsed.js';
import { usageSchema } from './usageSchema.js';

const schema = usageSchema();
const used = (query: string, operationName?: string) => fieldsUsed(schema, parse(query), operationName);

describe('fieldsUsed', () => {
  it('follows named fragments, nested ones included, and counts an aliased field once under its own name', () => {
    const fields = used(`
      query Books { first: book(id: "1") { ...BookParts } second: book(id: "2") { title } }
      fragment BookParts on Book { title author { ...AuthorName } }
      fragment AuthorName on Author { name }
    `);
    expect(fields).toEqual(['Query.book', 'Book.title', 'Book.author', 'Author.name']);
  });

  it('records a field selected on an interface as the interface coordinate, and one in an inline fragment on its type', () => {
    const fields = used(`{ node(id: "1") { id ... on Book { title } ... on Node { id } } }`);
    expect(fields).toEqual(['Query.node', 'Node.id', 'Book.title']);
  });

  it('records the member type of a union selection', () => {
    expect(used(`{ search(text: "x") { __typename ... on Author { name } } }`)).toEqual(['Query.search', 'Author.name']);
  });

  it('walks only the operation chosen by name, and only the fragments it spreads', () => {
    const query = `
      query ByAuthor { authors { ...AuthorName } }
      mutation Rate { rate(bookId: "1", stars: 5) { ...BookTitle } }
      fragment AuthorName on Author { name }
      fragment BookTitle on Book { title }
    `;
    expect(used(query, 'Rate')).toEqual(['Mutation.rate', 'Book.title']);
    expect(used(query, 'ByAuthor')).toEqual(['Query.authors', 'Author.name']);
  });

  it('selects nothing when the operation name is unknown or several operations leave it ambiguous', () => {
    const query = `query A { authors { name } } query B { book(id: "1") { title } }`;
    expect(used(query, 'C')).toEqual([]);
    expect(used(query)).toEqual([]);
  });

  it('leaves out __typename and introspection, including fragments on introspection types', () => {
    const fields = used(`
      {
        __typename
        __schema { types { name fields { name } } }
        __type(name: "Book") { ...TypeName }
        authors { __typename name }
      }
      fragment TypeName on __Type { name kind }
    `);
    expect(fields).toEqual(['Query.authors', 'Author.name']);
  });

  it('skips fields the schema does not define', () => {
    expect(used(`{ authors { name nickname } missing }`)).toEqual(['Query.authors', 'Author.name']);
  });
});
