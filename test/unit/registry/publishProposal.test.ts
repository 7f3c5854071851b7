import { describe, expect, it } from 'vitest';
import { memoryRegistry } from '../../../registry/store/memoryRegistryStore.js';
import { publishProposal } from '../../../registry/operations/publishProposal.js';
import { RefusalError } from '../../../lib/errors/RefusalError.js';
import type { Composer } from '../../../registry/registryTypes.js';

// A composer that composes anything into a supergraph naming its subgraph SDLs: the rules of
// publishing are under test here, not composition.
const composer: Composer = {
  async check(_current, subgraphs, proposed) {
    const all = [...subgraphs.filter((source) => source.name !== proposed.name), proposed];
    return { composes: true, supergraphSdl: all.map((source) => source.sdl).join('\n'), changes: [], breaking: [], takeovers: [] };
  },
  async diff() {
    return [];
  },
  async compose() {
    return { ok: true, supergraphSdl: '', hints: [] };
  },
};

async function seeded() {
  const store = memoryRegistry();
  await store.append({ action: 'initial', client: 'router', supergraphHash: 'h1', supergraphSdl: 'type Query { a: Int }', subgraphs: [{ name: 'a', routingUrl: 'http://127.0.0.1:1/graphql', sdl: 'type Query { a: Int }' }], changes: [] }, undefined);
  return store;
}

describe('publishing a proposal', () => {
  it('refuses the second of two publishes made on the same version with 409 VERSION_CONFLICT, appending one', async () => {
    const store = await seeded();
    const deps = { store, composer, usageWindowMs: 60_000 };
    const actor = { clientId: 'a-team', subgraph: 'a', admin: false };
    const outcomes = await Promise.allSettled([
      publishProposal(deps, actor, { subgraph: 'a', sdl: 'type Query { a: Int b: Int }' }, false),
      publishProposal(deps, actor, { subgraph: 'a', sdl: 'type Query { a: Int c: Int }' }, false),
    ]);
    expect(outcomes[0].status).toBe('fulfilled');
    const refused = (outcomes[1] as PromiseRejectedResult).reason as RefusalError;
    expect([refused.status, refused.code, refused.details.current]).toEqual([409, 'VERSION_CONFLICT', 2]);
    expect((await store.history(10)).map((version) => version.version)).toEqual([2, 1]);
  });

  it('refuses what the running service does not serve with 409 NOT_DEPLOYED, naming each field', async () => {
    const store = await seeded();
    const readServiceSdl = async () => 'type Query { a: Int }';
    await expect(publishProposal({ store, composer, usageWindowMs: 60_000, readServiceSdl }, { clientId: 'a-team', subgraph: 'a', admin: false }, { subgraph: 'a', sdl: 'type Query { a: Int b: Int }' }, false)).rejects.toMatchObject({
      status: 409,
      code: 'NOT_DEPLOYED',
      details: { fields: ['Query.b'] },
    });
    expect((await store.current())?.version).toBe(1);
  });

  it('refuses with 503 PUBLISH_NOT_CONFIGURED while the registry holds no subgraph SDLs', async () => {
    const store = memoryRegistry();
    await store.append({ action: 'initial', client: 'router', supergraphHash: 'h', supergraphSdl: 'x', subgraphs: [], changes: [] }, undefined);
    await expect(publishProposal({ store, composer, usageWindowMs: 1 }, { clientId: 'a-team', subgraph: 'a', admin: false }, { subgraph: 'a', sdl: 'type Query { a: Int }' }, false)).rejects.toMatchObject({
      status: 503,
      code: 'PUBLISH_NOT_CONFIGURED',
    });
  });
});
