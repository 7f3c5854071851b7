import { EditorView, basicSetup } from 'codemirror';
import { json } from '@codemirror/lang-json';
import { graphql } from 'cm6-graphql';

/** A text editor on the page. */
export interface Editor {
  text(): string;
  setText(text: string): void;
}

/** A CodeMirror 6 editor for GraphQL or JSON inside `parent`. */
export function createEditor(parent: HTMLElement, language: 'graphql' | 'json', initial: string): Editor {
  const view = new EditorView({ parent, doc: initial, extensions: [basicSetup, language === 'graphql' ? graphql() : json()] });
  return {
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
  };
}
