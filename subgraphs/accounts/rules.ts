import type { UserRecord } from '../data/datasets.js';
import type { RoleStore } from '../lib/roleStore.js';
import { all, any, everyone, role, scope, when } from '../../subgraph-kit/rules/rule.js';
import type { RuleSet } from '../../subgraph-kit/rules/ruleSet.js';

/** Accounts' rules: names are public to any delegation; a birthday is for the user themself or support. */
export function accountsRules(roles: RoleStore): RuleSet {
  return {
    readScope: 'accounts:read',
    types: {
      Query: { fields: { me: everyone, user: everyone, users: everyone } },
      User: {
        object: everyone,
        fields: {
          id: everyone,
          name: everyone,
          username: everyone,
          birthday: all(scope('accounts:read'), any(when<UserRecord>('the user themself', (subject, user) => subject === user.username), role(roles, 'support'))),
          // Reviews decides which reviews it counts, for the same user, through the broker.
          reviewCount: everyone,
        },
      },
    },
  };
}
