import type { GraphQLResolveInfo } from 'graphql';
import type { UserRecord } from '../data/datasets.js';
import type { RoleStore } from '../lib/roleStore.js';
import type { SubgraphContext } from '../lib/subgraphContext.js';
import { authorize, type Rule } from '../lib/authorize.js';

/** Accounts owns users: their names, usernames and birthdays, and who may see a birthday. */
export function accountsResolvers(users: UserRecord[], roles: RoleStore) {
  const byId = new Map(users.map((user) => [user.id, user]));
  const birthday: Rule<UserRecord> = {
    name: 'birthday: the user themself or role support',
    allows: ({ auth }, user) => auth !== undefined && (auth.sub === user.username || roles.has(auth.sub, 'support')),
  };
  return {
    Query: {
      me: (_: unknown, __: unknown, { auth }: SubgraphContext) => users.find((user) => user.username === auth?.sub) ?? null,
      user: (_: unknown, args: { id: string }) => byId.get(args.id) ?? null,
      users: () => users,
    },
    User: {
      __resolveReference: (ref: { id: string }) => byId.get(ref.id) ?? null,
      birthday: (user: UserRecord, _: unknown, context: SubgraphContext, info: GraphQLResolveInfo) => {
        authorize(birthday, user, context, info);
        return user.birthday;
      },
    },
  };
}
