import type { UserRecord } from '../data/benchmarkData.js';

/** Accounts owns users: their names, usernames and birthdays. */
export function accountsResolvers(users: UserRecord[]) {
  const byId = new Map(users.map((user) => [user.id, user]));
  return {
    Query: {
      // The benchmark has no notion of a signed-in user; `me` is user 1 until auth arrives.
      me: () => users[0],
      user: (_: unknown, args: { id: string }) => byId.get(args.id) ?? null,
      users: () => users,
    },
    User: {
      __resolveReference: (ref: { id: string }) => byId.get(ref.id) ?? null,
    },
  };
}
