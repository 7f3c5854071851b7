import type { Dataset, ReviewRecord } from '../data/datasets.js';
import type { SubgraphContext } from '../lib/subgraphContext.js';
import { InputError, checkKnown, checkLength } from '../../subgraph-kit/inputs/inputErrors.js';
import { authorNameOf } from './rules.js';

/** Bounds on `addReview` (README.md, "Authorization model"). */
export const REVIEW_LIMITS = { bodyMaxLength: 2000, perAuthor: 100 };

/**
 * Reviews owns reviews, their drafts, and the User.reviews / Product.reviews edges. Which
 * reviews a caller sees (drafts: their author only) is the Review object rule in rules.ts,
 * applied to every path that returns a review.
 */
export function reviewsResolvers(data: Dataset) {
  const byId = new Map(data.reviews.map((review) => [review.id, review]));
  const products = new Set(data.products.map((product) => product.upc));
  return {
    Mutation: {
      addReview: (_: unknown, args: { upc: string; body: string; draft: boolean }, context: SubgraphContext) => {
        checkLength('body', args.body, REVIEW_LIMITS.bodyMaxLength, 1);
        checkKnown('upc', products.has(args.upc));
        // The author is the token's subject, never an argument: a review cannot be written as someone else.
        const subject = context.deputy!.subject;
        const authorId = data.users.find((user) => user.username === subject)?.id ?? subject;
        if (data.reviews.filter((review) => review.authorId === authorId).length >= REVIEW_LIMITS.perAuthor) {
          throw new InputError('QUOTA_EXCEEDED', `at most ${REVIEW_LIMITS.perAuthor} reviews per author`, { limit: REVIEW_LIMITS.perAuthor });
        }
        const review: ReviewRecord = { id: String(data.reviews.length + 1), body: args.body, product: { upc: args.upc }, authorId, draft: args.draft };
        data.reviews.push(review);
        byId.set(review.id, review);
        return review;
      },
    },
    Review: {
      __resolveReference: (ref: { id: string }) => byId.get(ref.id) ?? null,
      author: (review: ReviewRecord) => ({ __typename: 'User', id: data.authorIdOf(review), username: authorNameOf(data, review) }),
      product: (review: ReviewRecord) => ({ __typename: 'Product', upc: review.product.upc }),
      draft: (review: ReviewRecord) => review.draft ?? false,
    },
    User: {
      reviews: (user: { id: string }) => data.reviewsOf(user.id),
    },
    Product: {
      reviews: (product: { upc: string }) => data.reviews.filter((review) => review.product.upc === product.upc),
    },
  };
}
