import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ts from 'typescript';
import { repoFiles } from '../../scripts/repoFiles.js';

// "No reference to a file that does not exist": the relative paths that the Markdown files and the
// source comments name. A path counts when it starts with ./, ../ or a top-level folder (one that
// exists, or one that the design names), or is the target of a Markdown link.

/** A path named somewhere, and where. */
export interface FileReference {
  /** The file that names it, relative to the repository root, and the line. */
  in: string;
  line: number;
  path: string;
}

// Top-level folders the design names before they exist: a reference to them must still resolve.
const PLANNED = ['reference', 'examples', 'registry', 'broker-client'];

function topFolders(root: string): string[] {
  // Only folders a clean clone has: not what installs, builds and runs leave behind (ignored by git).
  const generated = new Set(['node_modules', 'dist', 'reports', '.deputy', '.git']);
  const present = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !generated.has(entry.name)).map((entry) => entry.name);
  return [...new Set([...present, ...PLANNED])];
}

function pathPattern(root: string): RegExp {
  const folders = topFolders(root).map((name) => name.replace(/[.-]/g, '\\$&')).join('|');
  // Not part of a URL or a longer path (no word, dot, slash or colon just before); ends on a name character.
  // A document's bare name in capitals (README.md and the like) counts too: documents send readers to others by name.
  return new RegExp(`(?<![\\w./:@-])((?:\\.\\.?/)+[\\w.-]+(?:/[\\w.-]+)*|(?:${folders})/[\\w.-]+(?:/[\\w.-]+)*|[A-Z][A-Z\\d_-]*\\.md\\b)`, 'g');
}

const MARKDOWN_LINK = /\]\(([^)\s#]+)(?:#[^)]*)?\)/g;

/** The comments of a TypeScript or JavaScript source, with the line each starts on. */
function comments(text: string): { text: string; line: number }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const found: { text: string; line: number }[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      found.push({ text: scanner.getTokenText(), line: text.slice(0, scanner.getTokenStart()).split('\n').length });
    }
  }
  return found;
}

/** The lines of `file` that may name a path: all of a Markdown file, the comments of a source file. */
function textsOf(root: string, file: string): { text: string; line: number }[] {
  const text = readFileSync(join(root, file), 'utf8');
  if (file.endsWith('.md')) return text.split('\n').map((line, index) => ({ text: line, line: index + 1 }));
  if (/\.ya?ml$/.test(file)) return text.split('\n').flatMap((line, index) => (line.trimStart().startsWith('#') ? [{ text: line, line: index + 1 }] : []));
  return comments(text).flatMap((comment) => comment.text.split('\n').map((line, index) => ({ text: line, line: comment.line + index })));
}

/** Every path named by the repository's Markdown files, YAML comments and source comments. */
export function fileReferences(root: string): FileReference[] {
  const pattern = pathPattern(root);
  return repoFiles(root, /\.(md|ts|tsx|js|mjs|ya?ml)$/).flatMap((file) =>
    textsOf(root, file).flatMap(({ text, line }) => {
      const links = file.endsWith('.md') ? [...text.matchAll(MARKDOWN_LINK)].map((match) => match[1]).filter((target) => !/^[a-z]+:/.test(target)) : [];
      const paths = [...text.matchAll(pattern)].map((match) => match[1].replace(/[.]+$/, ''));
      return [...new Set([...links, ...paths])].map((path) => ({ in: file, line, path }));
    }),
  );
}

/** Whether `reference` names something that exists, with or without its extension. */
export function resolves(root: string, reference: FileReference): boolean {
  // From the naming file's folder, or from the root (where npm scripts and commands run).
  return [dirname(join(root, reference.in)), root].some((base) => {
    const path = join(base, reference.path);
    if (existsSync(path)) return true;
    // `test/security/tokenRejection` names test/security/tokenRejection.test.ts.
    const dir = dirname(path);
    return existsSync(dir) && readdirSync(dir).some((name) => name.startsWith(`${basename(path)}.`));
  });
}
