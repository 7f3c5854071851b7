// What an SDL reader (DeputyIdentity.sdlReaderOnly: the router's own token, no user behind it)
// may run: one query that selects `_service { sdl }` and nothing else. Both adapters ask here,
// on the document they are about to execute. Kinds are compared as strings, never with
// instanceof, so a second copy of graphql (a server's own) reads the same.
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { InvalidTokenError } from '../../lib/tokenRejection.js';
import type { DeputyIdentity } from '../context/deputyContext.js';

/** The fields each level may select: the root only `_service`, `_service` only `sdl`. */
const ALLOWED: readonly (ReadonlySet<string> | undefined)[] = [new Set(['_service']), new Set(['sdl'])];
/** Directives that only drop a selection; any other may do anything and is refused. */
const HARMLESS_DIRECTIVES = new Set(['skip', 'include']);

/** The operation a request runs: the one named, or the only one (as GraphQL's getOperationAST chooses). */
function chosenOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/** Whether every selection at `depth` (fragments spread in) is `__typename` or the one field that level allows. */
function selectsOnly(set: SelectionSetNode, depth: number, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): boolean {
  return set.selections.every((selection) => {
    if (selection.directives?.some((directive) => !HARMLESS_DIRECTIVES.has(directive.name.value))) return false;
    switch (selection.kind) {
      case Kind.FIELD: {
        // The field's name, not its alias, is what runs.
        const name = selection.name.value;
        if (name === '__typename') return selection.selectionSet === undefined;
        if (!ALLOWED[depth]?.has(name) || (selection.arguments?.length ?? 0) > 0) return false;
        // A leaf (`sdl`) has no selection; `_service` must have one.
        return selection.selectionSet ? selectsOnly(selection.selectionSet, depth + 1, fragments, seen) : depth + 1 === ALLOWED.length;
      }
      case Kind.INLINE_FRAGMENT:
        return selectsOnly(selection.selectionSet, depth, fragments, seen);
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // An unknown fragment, or one spread inside itself, is not a document that reads the SDL.
        if (!fragment || seen.has(name)) return false;
        return selectsOnly(fragment.selectionSet, depth, fragments, new Set([...seen, name]));
      }
      default:
        return false;
    }
  });
}

/**
 * Whether the operation a request runs (`operationName`, or the document's only operation)
 * is a query selecting nothing but `_service { sdl }` and `__typename`, through fragments and
 * aliases alike. Anything else, introspection (`__schema`, `__type`) included, is false.
 */
export function readsOnlyServiceSdl(document: DocumentNode, operationName?: string | null): boolean {
  const operation = chosenOperation(document, operationName);
  if (!operation || operation.operation !== 'query' || operation.directives?.length) return false;
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  return selectsOnly(operation.selectionSet, 0, fragments, new Set());
}

/**
 * The refusal for a caller that may not run this operation: an SDL reader asking for more than
 * `_service { sdl }` is refused as not a delegation (401, `not_delegated`); anyone else, none.
 */
export function sdlReaderRefusal(deputy: DeputyIdentity | undefined, document: DocumentNode, operationName?: string | null): InvalidTokenError | undefined {
  if (deputy?.sdlReaderOnly !== true || readsOnlyServiceSdl(document, operationName)) return undefined;
  return new InvalidTokenError('not_delegated');
}
