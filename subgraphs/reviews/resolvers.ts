import type { GraphQLResolveInfo } from 'graphql';
import type { Dataset, ReviewRecord } from '../data/datasets.js';
import type { SubgraphContext } from '../lib/subgraphContext.js';
import { authorize, hasScope } from '../lib/authorize.js';

/** Reviews owns reviews, their drafts, and the User.reviews / Product.reviews edges. */
export function reviewsResolvers(data: Dataset) {
  const byId = new Map(data.reviews.map((review) => [review.id, review]));
  const usersById = new Map(data.users.map((user) => [user.id, user]));
  const canWrite = hasScope('reviews:write');
  const authorName = (review: ReviewRecord) => usersById.get(data.authorIdOf(review))?.username ?? data.authorIdOf(review);

  /** Published reviews for everyone; a draft only for its author. */
  const visible = (reviews: ReviewRecord[], context: SubgraphContext, field: string) =>
    reviews.filter((review) => {
      if (!review.draft) return true;
      const own = context.auth !== undefined && authorName(review) === context.auth.sub;
      context.decisions.record(field, own ? 'allow' : 'deny', 'drafts: visible to their author only');
      return own;
    });

  return {
    Mutation: {
      addReview: (_: unknown, args: { upc: string; body: string; draft: boolean }, context: SubgraphContext, info: GraphQLResolveInfo) => {
        authorize(canWrite, undefined, context, info);
        // The author is the token's subject, never an argument: a review cannot be written as someone else.
        const subject = context.auth!.sub;
        const authorId = data.users.find((user) => user.username === subject)?.id ?? subject;
        const review: ReviewRecord = { id: String(data.reviews.length + 1), body: args.body, product: { upc: args.upc }, authorId, draft: args.draft };
        data.reviews.push(review);
        byId.set(review.id, review);
        return review;
      },
    },
    Review: {
      __resolveReference: (ref: { id: string }) => byId.get(ref.id) ?? null,
      author: (review: ReviewRecord) => ({ __typename: 'User', id: data.authorIdOf(review), username: authorName(review) }),
      product: (review: ReviewRecord) => ({ __typename: 'Product', upc: review.product.upc }),
      draft: (review: ReviewRecord) => review.draft ?? false,
    },
    User: {
      reviews: (user: { id: string }, _: unknown, context: SubgraphContext) => visible(data.reviewsOf(user.id), context, 'User.reviews'),
    },
    Product: {
      reviews: (product: { upc: string }, _: unknown, context: SubgraphContext) =>
        visible(data.reviews.filter((review) => review.product.upc === product.upc), context, 'Product.reviews'),
    },
  };
}
