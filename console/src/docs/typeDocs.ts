import {
  astFromValue,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { h } from '../dom.js';

/** Opens a type's page in the documentation pane. */
export type OpenType = (name: string) => void;

/** A type as written (`[Product!]!`), its named type a link to its page. */
export function typeRef(type: GraphQLType, open: OpenType): HTMLElement {
  const name = getNamedType(type).name;
  // Only `[`, `]` and `!` wrap the name, so it appears once in the written type.
  const [before, after] = String(type).split(name);
  const link = h('button', { class: 'type-link', 'data-type': name }, name);
  link.addEventListener('click', () => open(name));
  return h('span', { class: 'type-ref', 'data-testid': 'docs-type' }, before, link, after);
}

/** ` = 5`: a default value as GraphQL writes it, when there is one. */
function defaultOf(input: GraphQLArgument | GraphQLInputField): string {
  const ast = input.defaultValue === undefined ? undefined : astFromValue(input.defaultValue, input.type);
  return ast ? ` = ${print(ast)}` : '';
}

function described(description: string | null | undefined, deprecation: string | null | undefined): (HTMLElement | false)[] {
  return [Boolean(description) && h('p', { class: 'doc' }, description!), Boolean(deprecation) && h('p', { class: 'doc deprecated' }, `Deprecated: ${deprecation}`)];
}

/** One field: `name(arg: Type = default): Type`, its description and deprecation. */
export function fieldRow(parent: string, field: GraphQLField<unknown, unknown> | GraphQLInputField, open: OpenType): HTMLElement {
  const args = 'args' in field ? field.args : [];
  const argList = args.flatMap((arg, i) => [i > 0 ? ', ' : '', h('span', { class: 'arg' }, `${arg.name}: `, typeRef(arg.type, open), defaultOf(arg))]);
  return h(
    'li',
    { 'data-testid': 'docs-field', 'data-field': `${parent}.${field.name}` },
    h('code', { class: 'field-name' }, field.name),
    args.length > 0 ? h('span', {}, '(', ...argList, ')') : '',
    'args' in field ? '' : defaultOf(field),
    ': ',
    h('span', { 'data-testid': 'docs-field-type' }, typeRef(field.type, open)),
    ...described(field.description, field.deprecationReason),
  );
}

function links(title: string, types: readonly GraphQLNamedType[], open: OpenType): HTMLElement | false {
  if (types.length === 0) return false;
  return h('p', {}, `${title}: `, ...types.flatMap((type, i) => [i > 0 ? ', ' : '', typeRef(type, open)]));
}

/** A type's page: its kind, description, then its fields, values, members or implementations. */
export function typePage(schema: GraphQLSchema, type: GraphQLNamedType, open: OpenType): HTMLElement {
  const kind = isObjectType(type) ? 'type' : isInterfaceType(type) ? 'interface' : isUnionType(type) ? 'union' : isEnumType(type) ? 'enum' : isInputObjectType(type) ? 'input' : 'scalar';
  const parts: (HTMLElement | false)[] = [h('h3', { 'data-testid': 'docs-title' }, h('span', { class: 'caption' }, `${kind} `), type.name), ...described(type.description, undefined)];
  if (isObjectType(type) || isInterfaceType(type)) parts.push(links('Implements', type.getInterfaces(), open));
  if (isInterfaceType(type)) parts.push(links('Implemented by', schema.getPossibleTypes(type), open));
  if (isUnionType(type)) parts.push(links('One of', type.getTypes(), open));
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    parts.push(h('ul', { class: 'doc-fields' }, ...Object.values(type.getFields()).map((field) => fieldRow(type.name, field, open))));
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((value) => h('li', { 'data-testid': 'docs-value' }, h('code', {}, value.name), ...described(value.description, value.deprecationReason)));
    parts.push(h('ul', { class: 'doc-fields' }, ...values));
  }
  return h('div', {}, ...parts);
}
