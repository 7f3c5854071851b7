import type { Dataset, ReviewRecord } from '../data/datasets.js';
import type { RoleStore } from '../lib/roleStore.js';
import { all, any, condition, everyone, role, scope, when } from '../../subgraph-kit/rules/rule.js';
import type { RuleSet } from '../../subgraph-kit/rules/ruleSet.js';

/** The user name of a review's author (drafts are their author's only). */
export function authorNameOf(data: Dataset, review: ReviewRecord): string {
  const id = data.authorIdOf(review);
  return data.users.find((user) => user.id === id)?.username ?? id;
}

/**
 * Reviews' rules: a review, on every path (lists, `addReview`, `_entities`), is shown when it
 * is published, or when it is the caller's own draft and the token holds reviews:read; writing
 * needs reviews:write and the reviewer role.
 */
export function reviewsRules(roles: RoleStore, data: Dataset): RuleSet {
  const published = condition<ReviewRecord>('published', (review) => !review.draft);
  const ownDraft = when<ReviewRecord>('its author', (subject, review) => authorNameOf(data, review) === subject);
  return {
    readScope: 'reviews:read',
    writeScope: 'reviews:write',
    types: {
      Mutation: { fields: { addReview: all(scope('reviews:write'), role(roles, 'reviewer')) } },
      Review: {
        object: any(published, all(scope('reviews:read'), ownDraft)),
        fields: { id: everyone, body: everyone, author: everyone, product: everyone, draft: everyone },
      },
      User: { object: everyone, fields: { id: everyone, username: everyone, reviews: everyone } },
      Product: { object: everyone, fields: { upc: everyone, reviews: everyone } },
    },
  };
}
