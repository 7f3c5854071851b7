import type { SubgraphSource } from '../../registry/compose/composeSupergraph.js';
import { readSupergraph, type SupergraphState } from './supergraphState.js';

/**
 * The supergraph the router serves, and the one way to change it. Changes are applied one at
 * a time: validated first, then swapped atomically by the gateway; a supergraph that does
 * not build leaves the running one untouched.
 */
export class SchemaManager {
  private current: SupergraphState;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners: ((state: SupergraphState) => void)[] = [];

  constructor(
    initialSdl: string,
    sources: SubgraphSource[],
    private readonly swap: (sdl: string) => void,
    version?: number,
  ) {
    this.current = readSupergraph(initialSdl, sources, version);
  }

  get state(): SupergraphState {
    return this.current;
  }

  /** Runs `change` after every earlier change has finished (publish, file reload, shared-store update). */
  serialize<T>(change: () => Promise<T>): Promise<T> {
    const next = this.queue.then(change, change);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Serves `sdl`, composed from `sources`, from now on. Throws (and keeps the old supergraph) if it is invalid. */
  apply(sdl: string, sources: SubgraphSource[] = this.current.subgraphs, version?: number): { before: string; after: string } {
    const before = this.current.hash;
    if (sdl === this.current.sdl) {
      // The same supergraph again (a rollback to it): only its version number changes.
      this.current = { ...this.current, version: version ?? this.current.version };
      return { before, after: before };
    }
    const next = readSupergraph(sdl, sources, version);
    this.swap(sdl);
    this.current = next;
    for (const listener of this.listeners) listener(next);
    return { before, after: next.hash };
  }

  /** Called after every successful swap (e.g. to share it with other router instances). */
  onChange(listener: (state: SupergraphState) => void): void {
    this.listeners.push(listener);
  }
}
