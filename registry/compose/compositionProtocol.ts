import type { SchemaChange, SchemaCheck } from '../checks/checkSchemaChange.js';
import type { CompositionOutcome, SubgraphSource } from './composeSupergraph.js';

/** What the composition thread answers, by method: the arguments sent and the result returned. */
export interface CompositionMethods {
  check: { args: [currentSupergraphSdl: string | undefined, subgraphs: SubgraphSource[], proposed: SubgraphSource]; result: SchemaCheck };
  diff: { args: [beforeSupergraphSdl: string | undefined, afterSupergraphSdl: string]; result: SchemaChange[] };
  compose: { args: [sources: SubgraphSource[]]; result: CompositionOutcome };
}

/** One request to the worker; `id` pairs it with its reply, since several may be in flight. */
export type CompositionRequest = { [M in keyof CompositionMethods]: { id: number; method: M; args: CompositionMethods[M]['args'] } }[keyof CompositionMethods];

/** The worker's answer to one request: its result, or the exception it threw (name and message survive a thread). */
export type CompositionReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string } };
