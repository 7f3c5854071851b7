import { isIntrospectionType, isObjectType, isInterfaceType, isInputObjectType, isSpecifiedScalarType, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { h } from '../dom.js';
import { fieldRow, typePage, typeRef } from './typeDocs.js';

/** The schema documentation beside the editor. */
export interface DocsPane {
  /** The schema to document, or none with a note saying why (not logged in, refused...). */
  setSchema(schema: GraphQLSchema | undefined, note?: string): void;
  /** Shows a type's page (and opens the pane); with `field`, that field's row is marked and scrolled to. */
  open(typeName: string, field?: string): void;
}

/** Search hits shown at most: a hint to type more, not a dump of the schema. */
const MAX_HITS = 50;

/** The types worth a page: the schema's own, not introspection's or the built-in scalars. */
const ownTypes = (schema: GraphQLSchema) =>
  Object.values(schema.getTypeMap())
    .filter((type) => !isIntrospectionType(type) && !isSpecifiedScalarType(type))
    .sort((a, b) => a.name.localeCompare(b.name));

/**
 * The documentation pane inside `parent`, shown and hidden by `toggle`: the root fields first, each
 * type a page, a search over type and field names.
 */
export function createDocsPane(parent: HTMLElement, toggle: HTMLButtonElement): DocsPane {
  let schema: GraphQLSchema | undefined;
  let note = 'Log in to see the schema.';
  /** The page shown ('' for the root fields) and the ones before it, for Back. */
  let current = '';
  const previous: string[] = [];
  const search = h('input', { type: 'search', placeholder: 'Search types and fields', 'aria-label': 'Search the schema', 'data-testid': 'docs-search' });
  const home = h('button', { 'data-testid': 'docs-home', title: 'The root fields and every type' }, 'Schema');
  const back = h('button', { 'data-testid': 'docs-back' }, 'Back');
  const body = h('div', { class: 'docs-body', 'data-testid': 'docs-body' });
  parent.replaceChildren(h('div', { class: 'docs-nav' }, home, back, search), body);

  const go = (name: string) => {
    if (name !== current) previous.push(current);
    current = name;
    search.value = '';
    render();
  };

  const rootPage = (shown: GraphQLSchema): HTMLElement => {
    const roots = [shown.getQueryType(), shown.getMutationType(), shown.getSubscriptionType()].filter((root): root is GraphQLObjectType => Boolean(root));
    return h(
      'div',
      {},
      ...roots.map((root) => h('div', { class: 'doc-root' }, h('h3', {}, typeRef(root, go)), h('ul', { class: 'doc-fields' }, ...Object.values(root.getFields()).map((field) => fieldRow(root.name, field, go))))),
      h('h3', {}, 'All types'),
      h('p', { class: 'doc-types' }, ...ownTypes(shown).flatMap((type, i) => [i > 0 ? ' ' : '', typeRef(type, go)])),
    );
  };

  const hits = (shown: GraphQLSchema, text: string): HTMLElement => {
    const wanted = text.toLowerCase();
    const found: HTMLElement[] = [];
    for (const type of ownTypes(shown)) {
      if (type.name.toLowerCase().includes(wanted)) found.push(h('li', { 'data-testid': 'docs-hit' }, typeRef(type, go)));
      if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (field.name.toLowerCase().includes(wanted)) found.push(h('li', { 'data-testid': 'docs-hit' }, typeRef(type, go), '.', h('code', {}, field.name), ': ', typeRef(field.type, go)));
      }
    }
    if (found.length === 0) return h('p', { class: 'caption' }, `Nothing named like "${text}".`);
    return h('ul', { class: 'doc-fields' }, ...found.slice(0, MAX_HITS), found.length > MAX_HITS && h('li', { class: 'caption' }, `and ${found.length - MAX_HITS} more: type more of the name.`));
  };

  const render = () => {
    back.disabled = previous.length === 0 || !schema;
    home.disabled = !schema;
    search.disabled = !schema;
    if (!schema) return void body.replaceChildren(h('p', { class: 'caption' }, note));
    const type: GraphQLNamedType | undefined = current ? schema.getType(current) ?? undefined : undefined;
    if (search.value.trim()) body.replaceChildren(hits(schema, search.value.trim()));
    else body.replaceChildren(type ? typePage(schema, type, go) : rootPage(schema));
  };

  const show = (shown: boolean) => {
    parent.hidden = !shown;
    toggle.setAttribute('aria-expanded', String(shown));
  };
  toggle.addEventListener('click', () => show(parent.hidden));
  home.addEventListener('click', () => go(''));
  back.addEventListener('click', () => {
    current = previous.pop() ?? '';
    search.value = '';
    render();
  });
  search.addEventListener('input', render);
  render();

  return {
    setSchema(next, why) {
      schema = next;
      note = why ?? note;
      // A new schema may lack the type shown: start again from its root fields.
      current = '';
      previous.length = 0;
      render();
    },
    open(typeName, field) {
      show(true);
      if (!schema?.getType(typeName)) return;
      go(typeName);
      const row = field ? body.querySelector<HTMLElement>(`[data-field="${CSS.escape(`${typeName}.${field}`)}"]`) : null;
      row?.classList.add('marked');
      row?.scrollIntoView({ block: 'nearest' });
    },
  };
}
