/** The query the editor starts with: the people, their reviews and a field only some may read. */
export const DEFAULT_QUERY = `query Reviews {
  me {
    username
    reviewCount
  }
  users {
    username
    birthday
    reviews {
      body
      product {
        name
        inStock
      }
    }
  }
}
`;
