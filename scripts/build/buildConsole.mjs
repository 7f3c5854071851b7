// `npm run build:console`: builds the web console into dist/console once, and again only when
// its sources change (a content hash of console/ and the lockfile, kept beside the bundle), so
// neither `npm start` nor `npm test` rebuilds it every time. --force rebuilds regardless.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'dist', 'console');
const hashFile = join(out, '.source-hash');

function filesUnder(folder) {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(join(root, 'console')), join(root, 'package-lock.json')]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const hash = sourceHash();
const built = existsSync(join(out, 'index.html')) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash;
if (built && !process.argv.includes('--force')) {
  console.log('console: up to date (dist/console)');
} else {
  const started = performance.now();
  // Built aside and moved into place in one step: a router serving dist/console never sees half a bundle.
  const aside = `${out}-build-${process.pid}`;
  await build({ configFile: join(root, 'console', 'vite.config.ts'), build: { outDir: aside, emptyOutDir: true } });
  writeFileSync(join(aside, '.source-hash'), hash);
  rmSync(out, { recursive: true, force: true });
  renameSync(aside, out);
  console.log(`console: built into dist/console in ${Math.round(performance.now() - started)} ms`);
}
