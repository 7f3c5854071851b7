import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { repoFiles } from '../repoFiles.js';

// The folder-level import graph: which top-level folder imports which. Read from the sources
// themselves (TypeScript's own pre-processor finds static, dynamic and re-export imports and
// skips comments), so the picture of the house cannot drift from the code.

const SOURCE = /(?<!\.d)\.(ts|tsx|js|mjs)$/;

/** One relative import that crosses from one top-level folder into another. */
export interface CrossImport {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

/** The top-level folder a repository-relative path lives in; `(root)` for files at the top. */
export function topFolder(path: string): string {
  const parts = path.split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

/** The relative imports of every source file under `root` that cross a top-level folder. */
export function crossImports(root: string): CrossImport[] {
  return repoFiles(root, SOURCE).flatMap((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    return importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ from: topFolder(file), to: topFolder(relative(root, resolve(root, dirname(file), specifier))), file, specifier }))
      .filter((edge) => edge.from !== edge.to);
  });
}
