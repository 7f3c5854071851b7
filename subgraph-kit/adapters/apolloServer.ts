import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { InvalidTokenError } from '../../lib/tokenRejection.js';
import type { TokenVerifier } from '../verification/createTokenVerifier.js';
import { reportDecisions } from '../decisions/reportDecisions.js';
import { decisionsIn, deputyRequestContext, unauthenticated, type DeputyAdapterOptions, type DeputyRequestContext } from './deputyRequest.js';
import { sdlReaderRefusal } from './sdlReaderOperation.js';

/** A refusal as the error Apollo Server answers with a 401 (it sends an error's `extensions.http` as status and headers). */
function asApolloError(error: InvalidTokenError): GraphQLError {
  const { status, headers, body } = unauthenticated(error);
  const http = { status, headers: new HeaderMap(Object.entries(headers).filter(([name]) => name !== 'content-type')) };
  const extensions: Record<string, unknown> = { ...body.errors[0].extensions, http };
  return new GraphQLError(body.errors[0].message, { extensions });
}

/** The context a request gets, or a 401 error Apollo Server answers with. */
async function verified(verifier: TokenVerifier, authorization: string | string[] | undefined): Promise<DeputyRequestContext> {
  try {
    return await deputyRequestContext(verifier, authorization);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    throw asApolloError(error);
  }
}

/**
 * A context function for `startStandaloneServer` or `expressMiddleware`: `{ deputy, decisions }`
 * for a verified token, a 401 UNAUTHENTICATED (reason, WWW-Authenticate) before any parsing
 * otherwise. Use it with deputyApolloPlugin, which limits an SDL reader to `_service { sdl }`.
 */
export function deputyContext(verifier: TokenVerifier): (args: { req: IncomingMessage }) => Promise<DeputyRequestContext> {
  return ({ req }) => verified(verifier, req.headersDistinct.authorization);
}

/**
 * The Apollo Server 4/5 plugin: reports the request's decisions in `extensions.authorization`
 * for the router's trace and audit, verifies the caller when no context function did
 * (`deputyContext`), answering 401 on a bad token, and lets an SDL reader run `_service { sdl }`
 * only (401 `not_delegated` otherwise). Install it with `deputyContext` too.
 */
export function deputyApolloPlugin<TContext extends BaseContext>(options: DeputyAdapterOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        // The first hook whose error Apollo Server answers as such (with its `extensions.http`);
        // it runs after parsing, so deputyContext is the one that refuses before any work.
        async didResolveOperation({ contextValue, request, document }) {
          const context = contextValue as Partial<DeputyRequestContext>;
          if (!context.deputy && !context.open) Object.assign(context, await verified(options.verifier, request.http?.headers.get('authorization')));
          // Checked on the operation Apollo Server resolved, whoever verified the caller.
          const refusal = sdlReaderRefusal(context.deputy, document, request.operationName);
          if (refusal) throw asApolloError(refusal);
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
