import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

// The folder-level import graph: which top-level folder imports which. Read from the sources
// themselves (TypeScript's own pre-processor finds static, dynamic and re-export imports and
// skips comments), so the picture of the house cannot drift from the code.

const SOURCE = /\.(ts|tsx|js|mjs)$/;
const SKIPPED = new Set(['node_modules', 'dist', 'reports', '.git']);

/** One relative import that crosses from one top-level folder into another. */
export interface CrossImport {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

/** Every source file under `root`, relative to it, outside node_modules, dist and reports. */
export function sourceFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, path);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative(root, path)] : [];
  });
}

/** The top-level folder a repository-relative path lives in; `(root)` for files at the top. */
export function topFolder(path: string): string {
  const parts = path.split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

/** The relative imports of every source file under `root` that cross a top-level folder. */
export function crossImports(root: string): CrossImport[] {
  return sourceFiles(root).flatMap((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    return importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ from: topFolder(file), to: topFolder(relative(root, resolve(root, dirname(file), specifier))), file, specifier }))
      .filter((edge) => edge.from !== edge.to);
  });
}
