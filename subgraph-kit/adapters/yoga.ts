import type { DocumentNode } from 'graphql';
import { InvalidTokenError } from '../../lib/tokenRejection.js';
import { DecisionLog } from '../decisions/decisionLog.js';
import { reportDecisions } from '../decisions/reportDecisions.js';
import { decisionsIn, deputyRequestContext, unauthenticated, type DeputyAdapterOptions, type DeputyRequestContext } from './deputyRequest.js';
import { sdlReaderRefusal } from './sdlReaderOperation.js';

// The plugin is typed by the shape of the hooks it uses, not by graphql-yoga's types: the kit
// must load, and type-check, where graphql-yoga is not installed.

type ExecutionResult = { extensions?: Record<string, unknown> } & Record<string, unknown>;
type FetchAPI = { Response: typeof Response };
/** What envelop's execute and subscribe hooks see of an operation. */
type OperationPayload = {
  args: { contextValue: unknown; document: DocumentNode; operationName?: string | null };
  setResultAndStopExecution(result: ExecutionResult): void;
};

/** The GraphQL Yoga plugin useDeputy returns (an envelop plugin with Yoga's request-parse and result hooks). */
export interface DeputyYogaPlugin {
  onRequestParse(payload: { request: Request; fetchAPI: FetchAPI; endResponse(response: Response): void }): Promise<void>;
  onContextBuilding(payload: { context: { request?: Request }; extendContext(extension: Record<string, unknown>): void }): void;
  onExecute(payload: OperationPayload): {
    onExecuteDone(payload: { result: unknown; setResult(result: ExecutionResult): void }): void;
  } | void;
  onSubscribe(payload: OperationPayload): void;
  onResultProcess(payload: { request: Request; setResultProcessor(processor: (result: unknown, fetchAPI: FetchAPI) => Response, mediaType: string): void }): void;
}

/** The 401 for a refusal, as a response (the same as a refused token's). */
function refusedResponse(error: InvalidTokenError, fetchAPI: FetchAPI): Response {
  const { status, headers, body } = unauthenticated(error);
  return new fetchAPI.Response(JSON.stringify(body), { status, headers });
}

/**
 * The GraphQL Yoga plugin: verifies the caller before the request is parsed, answering 401
 * UNAUTHENTICATED (reason, WWW-Authenticate) on a bad token; adds `deputy` and the request's
 * decision log to the context; lets an SDL reader run `_service { sdl }` only (401
 * `not_delegated` otherwise); reports decisions in `extensions.authorization`.
 */
export function useDeputy(options: DeputyAdapterOptions): DeputyYogaPlugin {
  // Yoga hands the same Request to request parsing, the context and result processing.
  const contexts = new WeakMap<Request, DeputyRequestContext>();
  const refused = new WeakMap<Request, InvalidTokenError>();
  /** Stops an operation an SDL reader may not run; the whole response becomes the 401 (onResultProcess). */
  const refuseOperation = ({ args, setResultAndStopExecution }: OperationPayload): boolean => {
    const context = args.contextValue as Partial<DeputyRequestContext> & { request?: Request };
    const refusal = sdlReaderRefusal(context.deputy, args.document, args.operationName);
    if (!refusal) return false;
    // Fail closed: with no request to answer for, the operation still does not run.
    if (context.request) refused.set(context.request, refusal);
    setResultAndStopExecution(unauthenticated(refusal).body);
    return true;
  };
  return {
    async onRequestParse({ request, fetchAPI, endResponse }) {
      try {
        contexts.set(request, await deputyRequestContext(options.verifier, request.headers.get('authorization')));
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        endResponse(refusedResponse(error, fetchAPI));
      }
    },
    onContextBuilding({ context, extendContext }) {
      const verified = context.request && contexts.get(context.request);
      // Fail closed: a context for a request whose caller was not verified has no `deputy`.
      if (!verified) throw new InvalidTokenError('missing_token');
      // Each operation of a batch gets a decision log of its own.
      extendContext({ ...verified, decisions: new DecisionLog() });
    },
    onExecute(payload) {
      if (refuseOperation(payload)) return;
      const { args } = payload;
      return {
        onExecuteDone({ result, setResult }) {
          // A streamed result (defer, subscriptions) has no single extensions to add to.
          if (typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return;
          const single = result as ExecutionResult;
          setResult({ ...single, extensions: reportDecisions(options.subgraph, decisionsIn(args.contextValue), single.extensions) });
        },
      };
    },
    onSubscribe(payload) {
      refuseOperation(payload);
    },
    onResultProcess({ request, setResultProcessor }) {
      // Answered as any refused token is, not as a GraphQL result whose errors Yoga may mask.
      const refusal = refused.get(request);
      if (refusal) setResultProcessor((_result, fetchAPI) => refusedResponse(refusal, fetchAPI), 'application/json');
    },
  };
}
