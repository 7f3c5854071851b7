import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

/** The federation directives the registry checks read. */
export type FederationDirective = 'external' | 'override' | 'key';

const DIRECTIVES: FederationDirective[] = ['external', 'override', 'key'];
const FEDERATION_SPEC = /^https:\/\/specs\.apollo\.dev\/federation\/v\d/;

/** A directive's string argument, if it has that argument as a string literal. */
export function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** `"@override"` or `{ name: "@override", as: "@replace" }`, as [spec name, local name], without the `@`. */
function importEntry(entry: ConstValueNode): [string, string] | undefined {
  if (entry.kind === Kind.STRING) return [entry.value.replace(/^@/, ''), entry.value.replace(/^@/, '')];
  if (entry.kind !== Kind.OBJECT) return undefined;
  const field = (name: string) => {
    const value = entry.fields.find((candidate) => candidate.name.value === name)?.value;
    return value?.kind === Kind.STRING ? value.value.replace(/^@/, '') : undefined;
  };
  const name = field('name');
  return name === undefined ? undefined : [name, field('as') ?? name];
}

function federationLinks(document: DocumentNode): ConstDirectiveNode[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION
      ? (definition.directives ?? []).filter((directive) => directive.name.value === 'link' && FEDERATION_SPEC.test(stringArgument(directive, 'url') ?? ''))
      : [],
  );
}

/**
 * The names each federation directive goes by in one subgraph document. The federation `@link`
 * may import a directive under another name (`{ name: "@override", as: "@replace" }`); what it
 * doesn't import is still reachable namespaced (`@federation__override`, or `@fed__override`
 * after `as: "fed"`). The plain name counts unless an import renamed it, so Federation 1 SDL
 * (no `@link`) and SDL that forgot an import both read as meant.
 */
export function federationDirectiveNames(document: DocumentNode): Record<FederationDirective, Set<string>> {
  const links = federationLinks(document);
  const prefixes = new Set(['federation', ...links.map((link) => stringArgument(link, 'as')?.replace(/^@/, '') ?? 'federation')]);
  const renamed = new Map<string, string>();
  for (const link of links) {
    const imports = link.arguments?.find((argument) => argument.name.value === 'import')?.value;
    const entries = imports?.kind === Kind.LIST ? imports.values : imports ? [imports] : [];
    for (const [name, as] of entries.map(importEntry).filter((entry) => entry !== undefined)) renamed.set(name, as);
  }
  const names = (directive: FederationDirective) =>
    new Set([renamed.get(directive) ?? directive, ...[...prefixes].map((prefix) => `${prefix}__${directive}`)]);
  return Object.fromEntries(DIRECTIVES.map((directive) => [directive, names(directive)])) as Record<FederationDirective, Set<string>>;
}
