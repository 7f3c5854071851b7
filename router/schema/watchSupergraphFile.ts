import { watch, readFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { SchemaManager } from './schemaManager.js';
import type { SubgraphSource } from '../../registry/compose/composeSupergraph.js';
import type { Logger } from '../observability/createLogger.js';
import type { SwallowedErrors } from '../observability/swallowedErrors.js';

/**
 * Reloads the supergraph when its file changes on disk (`npm run compose` while the router
 * runs). Editors and compose write in bursts, so changes settle for `settleMs` first. An
 * invalid file is reported (`supergraph_watch`) and the running supergraph kept.
 */
export function watchSupergraphFile(
  file: string,
  manager: SchemaManager,
  readSources: () => SubgraphSource[],
  report: { logger: Logger; errors: SwallowedErrors },
  settleMs = 100,
): FSWatcher {
  const path = resolve(file);
  let timer: NodeJS.Timeout | undefined;
  const reload = () =>
    manager.serialize(async () => {
      let sdl: string;
      try {
        sdl = readFileSync(path, 'utf8');
      } catch {
        return; // Mid-rename; the next event brings the new file.
      }
      try {
        // Whoever rewrote the file composed it from the sources on disk: publishes compose with those now.
        const { before, after } = manager.apply(sdl, readSources());
        report.errors.recovered('supergraph_watch');
        if (before !== after) report.logger.info({ file, before, after }, `supergraph reloaded from ${file} (${before} -> ${after})`);
      } catch (error) {
        report.errors.failed('supergraph_watch', new Error(`supergraph in ${file} is invalid, keeping ${manager.state.hash}: ${(error as Error).message.split('\n')[0]}`));
      }
    });
  // Watch the folder: compose replaces the file, which a watch on the file itself would lose.
  const watcher = watch(dirname(path), (_event, name) => {
    if (name !== basename(path)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), settleMs);
  });
  watcher.unref();
  return watcher;
}
