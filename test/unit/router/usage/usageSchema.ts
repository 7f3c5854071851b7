import { buildSchema, type GraphQLSchema } from 'graphql';

/** A small API schema with an interface, a union and two root types, built anew on each call. */
export function usageSchema(): GraphQLSchema {
  return buildSchema(`
    interface Node { id: ID! }
    type Book implements Node { id: ID! title: String author: Author }
    type Author implements Node { id: ID! name: String books: [Book] }
    union SearchResult = Book | Author
    type Query { node(id: ID!): Node book(id: ID!): Book search(text: String!): [SearchResult] authors: [Author] }
    type Mutation { rate(bookId: ID!, stars: Int!): Book }
  `);
}
