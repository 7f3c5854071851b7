import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileReferences, resolves } from '../helpers/fileReferences.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The references under `dir` that name nothing, as `file:line path`. */
function dangling(dir: string): string[] {
  return fileReferences(dir)
    .filter((reference) => !resolves(dir, reference))
    .map((reference) => `${reference.in}:${reference.line} ${reference.path}`);
}

describe('references to files', () => {
  it('name only files and folders that exist, in every Markdown file and source comment', () => {
    expect(dangling(root), 'these references name a file that does not exist: fix the path or the text').toEqual([]);
  });

  it('are found in Markdown text, Markdown links and source comments, and a missing one is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-references-'));
    const files: Record<string, string> = {
      'README.md': 'See `router/gone.ts`, [the guide](docs/missing.md), [here](#anchor), https://example.com/router/x.ts,\n`test/security/tokenRejection` and `router/here.ts`; GONE.md too.',
      'router/here.ts': "// Moved from ../lib/gone.ts; see README.md.\nconst url = 'router/not-a-comment.ts';\nexport { url };",
      'test/security/tokenRejection.test.ts': '',
    };
    try {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      expect(dangling(dir).sort()).toEqual(['README.md:1 docs/missing.md', 'README.md:1 router/gone.ts', 'README.md:2 GONE.md', 'router/here.ts:1 ../lib/gone.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
