import { Kind, parse, type ConstValueNode } from 'graphql';

/** What a supergraph declares for demand control: Federation's `@cost` and `@listSize`, by `Type.field`. */
export interface CostDirectives {
  weights: Map<string, number>;
  listSizes: Map<string, { assumedSize?: number; slicingArguments?: string[] }>;
}

const valueOf = (node: ConstValueNode): unknown => {
  if (node.kind === Kind.INT || node.kind === Kind.FLOAT) return Number(node.value);
  if (node.kind === Kind.STRING || node.kind === Kind.ENUM) return node.value;
  if (node.kind === Kind.LIST) return node.values.map(valueOf);
  if (node.kind === Kind.BOOLEAN) return node.value;
  return undefined;
};

/**
 * Reads `@cost(weight:)` and `@listSize(assumedSize:, slicingArguments:)` from a supergraph's
 * field definitions (composition carries them from the subgraphs that declare them, under
 * their own name or an imported one ending in `cost` / `listSize`).
 */
export function readCostDirectives(supergraphSdl: string): CostDirectives {
  const directives: CostDirectives = { weights: new Map(), listSizes: new Map() };
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${definition.name.value}.${field.name.value}`;
      for (const directive of field.directives ?? []) {
        const args = Object.fromEntries((directive.arguments ?? []).map((arg) => [arg.name.value, valueOf(arg.value)]));
        const name = directive.name.value;
        if (/(^|__)cost$/.test(name) && typeof args.weight === 'number') directives.weights.set(coordinate, args.weight);
        if (/(^|__)listSize$/i.test(name)) {
          directives.listSizes.set(coordinate, {
            assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : undefined,
            slicingArguments: Array.isArray(args.slicingArguments) ? (args.slicingArguments as string[]) : undefined,
          });
        }
      }
    }
  }
  return directives;
}
