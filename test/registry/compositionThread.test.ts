import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CompositionThread } from '../../registry/compose/compositionThread.js';
import { CompositionException, CompositionThreadError } from '../../registry/compose/compositionErrors.js';
import { workerEntry } from '../../registry/compose/workerEntry.js';
import { composeSupergraph, readSubgraphSources, type SubgraphSource } from '../../registry/compose/composeSupergraph.js';
import { readRoverConfig } from '../../registry/compose/readRoverConfig.js';
import { checkSchemaChange } from '../../registry/checks/checkSchemaChange.js';
import { diffSupergraphs } from '../../registry/checks/diffSupergraphs.js';
import { runScript } from '../helpers/runScript.js';
import { FULL_INVENTORY, REDUCED_INVENTORY } from '../helpers/roverWorkspace.js';

const sources = readSubgraphSources(readRoverConfig('rover.yaml').subgraphs);
const current = readFileSync('schema/supergraph.graphql', 'utf8');
const inventory = sources.find((source) => source.name === 'inventory') as SubgraphSource;
const withInventory = (sdl: string): SubgraphSource => ({ ...inventory, sdl, sourceName: 'inventory (proposed)' });

/** One subgraph of `count` entity types, each with a key, arguments and a reference to the next. */
function largeSubgraph(count: number): SubgraphSource {
  const fields = Array.from({ length: count }, (_, i) => `  thing${i}(id: ID!): Thing${i}`).join('\n');
  const types = Array.from(
    { length: count },
    (_, i) => `type Thing${i} @key(fields: "id") {\n  id: ID!\n  name: String\n  next: Thing${(i + 1) % count}\n  count(first: Int = 10): Int\n}`,
  ).join('\n\n');
  const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n\ntype Query {\n${fields}\n}\n\n${types}\n`;
  return { name: 'large', routingUrl: 'http://127.0.0.1:1/graphql', sdl, sourceName: 'large.graphql' };
}

describe('the composition thread', () => {
  const thread = new CompositionThread();
  afterAll(() => thread.close());

  it('checks a proposed subgraph exactly as checkSchemaChange does on this thread', async () => {
    const proposals = [
      withInventory(REDUCED_INVENTORY), // a breaking change: a field removed
      withInventory(FULL_INVENTORY.replace('  inStock: Boolean\n', '  inStock: Boolean\n  restockedAt: String\n')), // a safe one
      withInventory(FULL_INVENTORY.replace('  upc: String!\n', '  upc: Int!\n')), // does not compose
    ];
    for (const proposed of proposals) {
      expect(await thread.check(current, sources, proposed)).toEqual(await checkSchemaChange(current, sources, proposed));
    }
    const breaking = await thread.check(current, sources, proposals[0]);
    expect(breaking.composes && breaking.breaking.map((change) => change.message)).toContain("Field 'shippingEstimate' was removed from object type 'Product'");
    expect(await thread.check(current, sources, proposals[2])).toMatchObject({ composes: false });
  });

  it('reports no change when there is no current supergraph to break', async () => {
    const check = await thread.check(undefined, sources, withInventory(REDUCED_INVENTORY));
    expect(check).toMatchObject({ composes: true, changes: [], breaking: [] });
    expect(check).toEqual(await checkSchemaChange(undefined, sources, withInventory(REDUCED_INVENTORY)));
  });

  it('composes the repository subgraphs into the committed supergraph, as composeSupergraph does', async () => {
    const outcome = await thread.compose(sources);
    expect(outcome).toEqual(composeSupergraph(sources));
    expect(outcome.ok && outcome.supergraphSdl).toBe(current);
  });

  it('diffs two supergraphs (a rollback) exactly as diffSupergraphs does on this thread', async () => {
    const reduced = composeSupergraph(sources.map((source) => (source.name === 'inventory' ? withInventory(REDUCED_INVENTORY) : source)));
    if (!reduced.ok) throw new Error('the reduced inventory should compose');
    const forward = await thread.diff(current, reduced.supergraphSdl);
    expect(forward).toEqual(await diffSupergraphs(current, reduced.supergraphSdl));
    expect(forward.map((change) => change.level)).toContain('breaking');
    expect(await thread.diff(reduced.supergraphSdl, current)).toEqual(await diffSupergraphs(reduced.supergraphSdl, current));
  });

  it('rejects with the message of an exception thrown while checking, and keeps answering', async () => {
    const inThread = await checkSchemaChange('not a supergraph', sources, withInventory(FULL_INVENTORY)).catch((error: Error) => error);
    expect(inThread).toBeInstanceOf(Error);
    const rejected = await thread.check('not a supergraph', sources, withInventory(FULL_INVENTORY)).catch((error: Error) => error);
    expect(rejected).toBeInstanceOf(CompositionException);
    expect((rejected as CompositionException).message).toBe((inThread as Error).message);
    expect((await thread.compose(sources)).ok).toBe(true);
  });

  it('keeps the event loop of the calling thread turning while a 1500-type subgraph composes', async () => {
    await thread.compose(sources); // the worker is up: what follows measures composing, not starting it
    const order: string[] = [];
    let turns = 0;
    let composed = false;
    const composing = thread.compose([largeSubgraph(1500)]).then((outcome) => {
      composed = true;
      order.push('composed');
      return outcome;
    });
    setTimeout(() => order.push('timer'), 0);
    const tick = () => {
      if (composed) return;
      turns += 1;
      setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
    const outcome = await composing;
    expect(outcome.ok).toBe(true);
    // Composing on this thread would have run every one of these callbacks after it finished.
    expect(order).toEqual(['timer', 'composed']);
    expect(turns).toBeGreaterThan(5);
  }, 60_000);

  it('fails the requests in flight with a CompositionThreadError when the worker exits, then starts a fresh worker', async () => {
    const crashing = new CompositionThread(workerEntry(new URL('../fixtures/crashingCompositionWorker.ts', import.meta.url)));
    try {
      const exiting = crashing.compose([{ ...inventory, name: 'exit' }]).catch((error: Error) => error);
      const queued = crashing.compose(sources).catch((error: Error) => error);
      for (const error of [await exiting, await queued]) {
        expect(error).toBeInstanceOf(CompositionThreadError);
        expect(error).toMatchObject({ code: 'COMPOSITION_THREAD_FAILED', message: expect.stringMatching(/the composition worker exited \(code 3\); 2 request\(s\) in flight failed/) });
      }
      expect(await crashing.compose(sources)).toEqual(composeSupergraph(sources));
    } finally {
      await crashing.close();
    }
  });

  it('fails the requests in flight when the worker throws an uncaught error, then starts a fresh worker', async () => {
    const crashing = new CompositionThread(workerEntry(new URL('../fixtures/crashingCompositionWorker.ts', import.meta.url)));
    try {
      const error = await crashing.compose([{ ...inventory, name: 'throw' }]).catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(CompositionThreadError);
      expect((error as Error).message).toMatch(/the composition worker failed: boom in the worker; 1 request\(s\) in flight failed/);
      expect(await crashing.diff(current, current)).toEqual([]);
    } finally {
      await crashing.close();
    }
  });

  it('fails a request in flight, and any later one, once closed', async () => {
    const closing = new CompositionThread();
    const inFlight = closing.compose(sources).catch((error: Error) => error);
    await closing.close();
    expect(await inFlight).toMatchObject({ code: 'COMPOSITION_THREAD_FAILED', message: 'the composition thread was closed before it answered' });
    await expect(closing.compose(sources)).rejects.toThrow('the composition thread is closed');
  });

  it('lets a process exit once it has its answer, whether it closes the thread or leaves it idle', async () => {
    for (const mode of ['close', 'idle']) {
      const result = await runScript('test/fixtures/compositionThreadExit.ts', [mode]);
      expect({ mode, code: result.code, stdout: result.stdout.trim(), stderr: result.stderr }).toEqual({ mode, code: 0, stdout: '{"composes":true,"changes":1}', stderr: '' });
    }
  });
});
