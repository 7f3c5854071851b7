import { InvalidTokenError } from '../../lib/tokenRejection.js';
import { DecisionLog } from '../decisions/decisionLog.js';
import { reportDecisions } from '../decisions/reportDecisions.js';
import { decisionsIn, deputyRequestContext, unauthenticated, type DeputyAdapterOptions, type DeputyRequestContext } from './deputyRequest.js';

// The plugin is typed by the shape of the hooks it uses, not by graphql-yoga's types: the kit
// must load, and type-check, where graphql-yoga is not installed.

type ExecutionResult = { extensions?: Record<string, unknown> } & Record<string, unknown>;

/** The GraphQL Yoga plugin useDeputy returns (an envelop plugin with Yoga's request-parse hook). */
export interface DeputyYogaPlugin {
  onRequestParse(payload: { request: Request; fetchAPI: { Response: typeof Response }; endResponse(response: Response): void }): Promise<void>;
  onContextBuilding(payload: { context: { request?: Request }; extendContext(extension: Record<string, unknown>): void }): void;
  onExecute(payload: { args: { contextValue: unknown } }): {
    onExecuteDone(payload: { result: unknown; setResult(result: ExecutionResult): void }): void;
  };
}

/**
 * The GraphQL Yoga plugin: verifies the caller before the request is parsed, answering 401
 * UNAUTHENTICATED (reason, WWW-Authenticate) on a bad token; adds `deputy` and the request's
 * decision log to the context; reports decisions in `extensions.authorization`.
 */
export function useDeputy(options: DeputyAdapterOptions): DeputyYogaPlugin {
  // Yoga hands the same Request to request parsing and to the context.
  const contexts = new WeakMap<Request, DeputyRequestContext>();
  return {
    async onRequestParse({ request, fetchAPI, endResponse }) {
      try {
        contexts.set(request, await deputyRequestContext(options.verifier, request.headers.get('authorization')));
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        const { status, headers, body } = unauthenticated(error);
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status, headers }));
      }
    },
    onContextBuilding({ context, extendContext }) {
      const verified = context.request && contexts.get(context.request);
      // Fail closed: a context for a request whose caller was not verified has no `deputy`.
      if (!verified) throw new InvalidTokenError('missing_token');
      // Each operation of a batch gets a decision log of its own.
      extendContext({ ...verified, decisions: new DecisionLog() });
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          // A streamed result (defer, subscriptions) has no single extensions to add to.
          if (typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return;
          const single = result as ExecutionResult;
          setResult({ ...single, extensions: reportDecisions(options.subgraph, decisionsIn(args.contextValue), single.extensions) });
        },
      };
    },
  };
}
