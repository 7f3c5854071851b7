import type { DelegationTrace } from '../../../router/publishedTypes.js';
import { h } from '../dom.js';
import { fieldDetails } from './fieldDetails.js';
import { badge } from './badges.js';
import { fieldMarks } from './words.js';

interface TreeNode {
  name: string;
  path: string;
  children: Map<string, TreeNode>;
}

/** The response paths of a trace as a tree (list indices, folded as `@`, shown as []). */
function treeOf(paths: string[]): TreeNode {
  const root: TreeNode = { name: '', path: '', children: new Map() };
  for (const path of paths) {
    let node = root;
    const parts = path.split('.');
    parts.forEach((part, index) => {
      if (part === '@') return;
      let child = node.children.get(part);
      if (!child) {
        child = { name: parts[index + 1] === '@' ? `${part}[]` : part, path: parts.slice(0, index + 1).join('.'), children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    });
  }
  return root;
}

/** The field tree; clicking a field shows its details in `panel`. */
export function renderFieldTree(trace: DelegationTrace, panel: HTMLElement): HTMLElement {
  const list = (node: TreeNode): HTMLElement =>
    h('ul', {}, ...[...node.children.values()].map((child) => {
      const field = trace.fields[child.path];
      const marks = field ? fieldMarks(child.path, field, trace) : [];
      const button = h('button', { class: ['field', ...marks].join(' '), 'data-testid': 'field', 'data-path': child.path, type: 'button' }, child.name, ...marks.map((mark) => badge(mark)));
      button.addEventListener('click', () => {
        if (field) panel.replaceChildren(fieldDetails(child.path, field, trace));
      });
      return h('li', {}, button, child.children.size ? list(child) : undefined);
    }));
  return list(treeOf(Object.keys(trace.fields)));
}
