import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { InvalidTokenError } from '../../lib/tokenRejection.js';
import type { TokenVerifier } from '../verification/createTokenVerifier.js';
import { reportDecisions } from '../decisions/reportDecisions.js';
import { decisionsIn, deputyRequestContext, unauthenticated, type DeputyAdapterOptions, type DeputyRequestContext } from './deputyRequest.js';

/** The context a request gets, or a 401 error Apollo Server answers with (`extensions.http`). */
async function verified(verifier: TokenVerifier, authorization: string | string[] | undefined): Promise<DeputyRequestContext> {
  try {
    return await deputyRequestContext(verifier, authorization);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    const { status, headers, body } = unauthenticated(error);
    // Apollo Server answers an error's `extensions.http` as the response's status and headers.
    const http = { status, headers: new HeaderMap(Object.entries(headers).filter(([name]) => name !== 'content-type')) };
    const extensions: Record<string, unknown> = { ...body.errors[0].extensions, http };
    throw new GraphQLError(body.errors[0].message, { extensions });
  }
}

/**
 * A context function for `startStandaloneServer` or `expressMiddleware`: `{ deputy, decisions }`
 * for a verified token, a 401 UNAUTHENTICATED (reason, WWW-Authenticate) before any parsing otherwise.
 */
export function deputyContext(verifier: TokenVerifier): (args: { req: IncomingMessage }) => Promise<DeputyRequestContext> {
  return ({ req }) => verified(verifier, req.headersDistinct.authorization);
}

/**
 * The Apollo Server 4/5 plugin: reports the request's decisions in `extensions.authorization`
 * for the router's trace and audit, and verifies the caller when no context function did
 * (`deputyContext`), answering 401 on a bad token.
 */
export function deputyApolloPlugin<TContext extends BaseContext>(options: DeputyAdapterOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        // The first hook whose error Apollo Server answers as such (with its `extensions.http`);
        // it runs after parsing, so deputyContext is the one that refuses before any work.
        async didResolveOperation({ contextValue, request }) {
          const context = contextValue as Partial<DeputyRequestContext>;
          if (!context.deputy && !context.open) Object.assign(context, await verified(options.verifier, request.http?.headers.get('authorization')));
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = reportDecisions(options.subgraph, decisionsIn(contextValue), result.extensions);
        },
      };
    },
  };
}
