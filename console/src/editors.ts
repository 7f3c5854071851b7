import { EditorView, basicSetup } from 'codemirror';
import { Prec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { json } from '@codemirror/lang-json';
import { graphql, updateSchema } from 'cm6-graphql';
import type { GraphQLSchema } from 'graphql';

/** A text editor on the page. */
export interface Editor {
  text(): string;
  /** Replaces the whole text (a query restored from the history). */
  setText(text: string): void;
  /** A GraphQL editor's schema: autocomplete and validation against it (none: highlighting only). */
  setSchema(schema: GraphQLSchema | undefined): void;
}

/** Where Ctrl/Cmd-click on a name in a GraphQL editor leads: its type's page, at the field. */
export type ShowInDocs = (typeName: string, field?: string) => void;

/** The named type of a written type (`[Product!]!` → `Product`). */
const namedType = (written: string) => written.replace(/[[\]!]/g, '');

/** A CodeMirror 6 editor for GraphQL or JSON inside `parent`; Ctrl/Cmd-Enter calls `onRun`. */
export function createEditor(parent: HTMLElement, language: 'graphql' | 'json', initial: string, onRun: () => void, showInDocs?: ShowInDocs): Editor {
  // Above basicSetup's own Mod-Enter (insert a blank line).
  const run = Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (onRun(), true) }]));
  const onShowInDocs = (field?: string, type?: string, parentType?: string) => {
    if (field && parentType) showInDocs?.(namedType(parentType), field);
    else if (type) showInDocs?.(namedType(type));
  };
  const languageSupport = language === 'graphql' ? graphql(undefined, { onShowInDocs }) : json();
  const view = new EditorView({ parent, doc: initial, extensions: [basicSetup, run, languageSupport] });
  return {
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    setSchema: (schema) => {
      if (language === 'graphql') updateSchema(view, schema);
    },
  };
}
