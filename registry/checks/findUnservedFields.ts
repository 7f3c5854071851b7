import { readSubgraphDeclarations, type SubgraphDeclarations } from './readSubgraphDeclarations.js';

/** Every coordinate a subgraph must answer for: types, resolved fields and their arguments, input fields, enum values. */
function served(declarations: SubgraphDeclarations): { types: Set<string>; members: Set<string> } {
  const members = new Set(declarations.members);
  for (const [field, declaration] of declarations.fields) {
    // An @external field is another subgraph's to resolve: nothing to serve.
    if (declaration.external) continue;
    members.add(field);
    for (const argument of declaration.arguments) members.add(argument);
  }
  return { types: declarations.types, members };
}

/**
 * What `proposedSdl` declares that the running service (its `_service { sdl }`) doesn't: the
 * team published before deploying. A type the service lacks is listed alone, not field by field.
 * What the service serves beyond the SDL is fine (deploy first, then publish). Sorted.
 */
export function findUnservedFields(proposedSdl: string, serviceSdl: string): string[] {
  const proposed = served(readSubgraphDeclarations(proposedSdl));
  const service = served(readSubgraphDeclarations(serviceSdl));
  const missingTypes = [...proposed.types].filter((type) => !service.types.has(type));
  const missingMembers = [...proposed.members].filter((member) => {
    const type = member.slice(0, member.indexOf('.'));
    return service.types.has(type) && !service.members.has(member);
  });
  return [...missingTypes, ...missingMembers].sort();
}
