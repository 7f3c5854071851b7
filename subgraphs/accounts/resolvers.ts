import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { BrokerCallError, type BrokerClient } from '../../broker-client/index.js';
import type { UserRecord } from '../data/datasets.js';
import type { SubgraphContext } from '../lib/subgraphContext.js';

const REVIEWS_OF_USER = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { reviews { id } } } }';

/** Accounts owns users: their names, usernames and birthdays; who may see a birthday is in rules.ts. */
export function accountsResolvers(users: UserRecord[], broker?: BrokerClient) {
  const byId = new Map(users.map((user) => [user.id, user]));
  return {
    Query: {
      me: (_: unknown, __: unknown, { deputy }: SubgraphContext) => users.find((user) => user.username === deputy?.subject) ?? null,
      user: (_: unknown, args: { id: string }) => byId.get(args.id) ?? null,
      users: () => users,
    },
    User: {
      __resolveReference: (ref: { id: string }) => byId.get(ref.id) ?? null,
      // Reviews are not accounts' data: ask the reviews service, for the same user, through the
      // router's broker (accounts never exchanges tokens itself). A list of users asks once per
      // user, and the client batches those into one /delegate request per tick.
      reviewCount: async (user: UserRecord, _: unknown, context: SubgraphContext, info: GraphQLResolveInfo) => {
        if (!broker || !context.token) throw new GraphQLError('reviewCount needs the delegation broker', { extensions: { code: 'BROKER_NOT_CONFIGURED' } });
        try {
          const result = await broker.delegate({
            subjectToken: context.token,
            target: 'reviews',
            scopes: ['reviews:read'],
            query: REVIEWS_OF_USER,
            variables: { representations: [{ __typename: 'User', id: user.id }] },
            field: pathOf(info),
            traceparent: context.traceparent,
          });
          const entity = (result.data?._entities as { reviews?: unknown[] }[] | undefined)?.[0];
          return entity?.reviews?.length ?? null;
        } catch (error) {
          if (!(error instanceof BrokerCallError)) throw error;
          throw new GraphQLError(`reviews could not be asked: ${error.message}`, { extensions: { code: error.code } });
        }
      },
    },
  };
}

/** The resolver's path in this subgraph's response, e.g. `_entities.0.reviewCount`. */
function pathOf(info: GraphQLResolveInfo): string {
  return responsePathAsArray(info.path).join('.');
}
