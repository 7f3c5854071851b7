import { EditorView, basicSetup } from 'codemirror';
import { Prec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { json } from '@codemirror/lang-json';
import { graphql } from 'cm6-graphql';

/** A text editor on the page. */
export interface Editor {
  text(): string;
}

/** A CodeMirror 6 editor for GraphQL or JSON inside `parent`; Ctrl/Cmd-Enter calls `onRun`. */
export function createEditor(parent: HTMLElement, language: 'graphql' | 'json', initial: string, onRun: () => void): Editor {
  // Above basicSetup's own Mod-Enter (insert a blank line).
  const run = Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (onRun(), true) }]));
  const view = new EditorView({ parent, doc: initial, extensions: [basicSetup, run, language === 'graphql' ? graphql() : json()] });
  return {
    text: () => view.state.doc.toString(),
  };
}
