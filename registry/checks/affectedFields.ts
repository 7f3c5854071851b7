import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { SchemaChange } from './diffSupergraphs.js';

/** The input types that hold `type` (itself, if input), directly or through other input types. */
function inputsHolding(schema: GraphQLSchema, type: GraphQLNamedType): Set<string> {
  const holding = new Set([type.name]);
  const inputs = Object.values(schema.getTypeMap()).filter(isInputObjectType);
  for (let grew = true; grew; ) {
    grew = false;
    for (const input of inputs) {
      if (holding.has(input.name)) continue;
      if (Object.values(input.getFields()).some((field) => holding.has(getNamedType(field.type).name))) {
        holding.add(input.name);
        grew = true;
      }
    }
  }
  return holding;
}

/** The object and interface fields that return one of `types` or take one as an argument. */
function fieldsUsing(schema: GraphQLSchema, types: Set<string>): string[] {
  const fields: string[] = [];
  for (const parent of Object.values(schema.getTypeMap())) {
    if (parent.name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
    for (const field of Object.values(parent.getFields())) {
      const uses = types.has(getNamedType(field.type).name) || field.args.some((argument) => types.has(getNamedType(argument.type).name));
      if (uses) fields.push(`${parent.name}.${field.name}`);
    }
  }
  return fields;
}

/** The coordinates one change path touches; see affectedFields. */
function coordinatesOf(path: string, schema: GraphQLSchema | undefined): string[] {
  const [typeName = '', fieldName] = path.split('.');
  const type = schema?.getType(typeName);
  // No usage is recorded on an enum value or an input field, only on the fields that take or return them.
  if (schema && type && (isEnumType(type) || isInputObjectType(type))) return fieldsUsing(schema, inputsHolding(schema, type));
  // A union has no fields of its own: clients reach it through the fields that return it.
  if (schema && type && isUnionType(type)) return [`${typeName}.`, ...fieldsUsing(schema, new Set([typeName]))];
  return [fieldName === undefined ? `${typeName}.` : `${typeName}.${fieldName}`];
}

/**
 * The field coordinates `changes` touch, for looking up their usage, deduplicated and sorted.
 * `Type.field` and `Type.field.arg` give `Type.field`; a bare `Type` gives the prefix `Type.`
 * (every field of it). Without a schema, `Enum.VALUE` reads as a field; with the current API
 * `schema`, an enum, input or union type gives the fields that return it or take it as an argument.
 * Directive changes (`@name`) touch no field.
 */
export function affectedFields(changes: SchemaChange[], schema?: GraphQLSchema): string[] {
  const fields = new Set<string>();
  for (const change of changes) {
    if (!change.path || change.path.startsWith('@')) continue;
    for (const field of coordinatesOf(change.path, schema)) fields.add(field);
  }
  return [...fields].sort();
}
