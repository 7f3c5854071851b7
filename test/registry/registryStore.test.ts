import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresRegistry } from '../../registry/store/postgresRegistryStore.js';
import { memoryRegistry } from '../../registry/store/memoryRegistryStore.js';
import { VersionConflictError, type RegistryStore, type VersionDraft } from '../../registry/store/registryStore.js';
import { TEST_POSTGRES_URL, dropSchema, sql, uniqueSchema } from '../helpers/postgres.js';

const draft = (hash: string, more: Partial<VersionDraft> = {}): VersionDraft => ({
  action: 'publish',
  client: 'products-team',
  subgraph: 'products',
  supergraphHash: hash,
  supergraphSdl: `# supergraph ${hash}`,
  subgraphs: [{ name: 'products', routingUrl: 'http://127.0.0.1:1/graphql', sdl: `type Query { v${hash}: Int }` }],
  changes: [{ level: 'safe', type: 'FIELD_ADDED', message: `added v${hash}`, path: `Query.v${hash}` }],
  ...more,
});

const schemas: string[] = [];
afterAll(async () => {
  await Promise.all(schemas.map((schema) => dropSchema(schema)));
});

async function openPostgres(): Promise<RegistryStore> {
  const schema = uniqueSchema('store');
  schemas.push(schema);
  return openPostgresRegistry({ url: TEST_POSTGRES_URL, schema });
}

const stores: [string, () => Promise<RegistryStore>][] = [
  ['PostgreSQL', openPostgres],
  ['memory', async () => memoryRegistry()],
];

describe.each(stores)('the registry store in %s', (_name, open) => {
  it('appends versions in order and reads them back whole, the newest first in history', async () => {
    const store = await open();
    expect(await store.current()).toBeUndefined();
    const first = await store.append(draft('a', { action: 'initial', client: 'deputy-router', subgraph: undefined }), undefined);
    const second = await store.append(draft('b'), 1);
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(await store.current()).toEqual(second);
    expect(await store.version(1)).toEqual(first);
    expect(await store.version(3)).toBeUndefined();
    const history = await store.history(10);
    expect(history.map((entry) => [entry.version, entry.action, entry.supergraphHash])).toEqual([
      [2, 'publish', 'b'],
      [1, 'initial', 'a'],
    ]);
    expect(history[0]).not.toHaveProperty('supergraphSdl');
    expect(first).not.toHaveProperty('subgraph');
    await store.close();
  });

  it('refuses an append whose parent is no longer current, and appends nothing', async () => {
    const store = await open();
    await store.append(draft('a'), undefined);
    await expect(store.append(draft('b'), undefined)).rejects.toBeInstanceOf(VersionConflictError);
    await store.append(draft('b'), 1);
    await expect(store.append(draft('c'), 1)).rejects.toThrow(/current version is 2, not 1/);
    expect((await store.history(10)).length).toBe(2);
    await store.close();
  });

  it('lets only one of two concurrent appends on the same parent win', async () => {
    const store = await open();
    await store.append(draft('a'), undefined);
    const outcomes = await Promise.allSettled([store.append(draft('b'), 1), store.append(draft('c'), 1)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected' && outcome.reason instanceof VersionConflictError)).toHaveLength(1);
    await store.close();
  });

  it('keeps an approval until a version uses it, once', async () => {
    const store = await open();
    await store.approve({ field: 'Product.price', owner: 'inventory', taker: 'products', approvedBy: 'inventory-team' });
    await store.approve({ field: 'Product.price', owner: 'inventory', taker: 'products', approvedBy: 'registry-admin' });
    const pending = await store.approvalsFor('products');
    expect(pending.map((approval) => approval.approvedBy)).toEqual(['registry-admin']);
    expect(await store.approvalsFor('reviews')).toEqual([]);
    await store.append(draft('a'), undefined, pending);
    expect(await store.approvalsFor('products')).toEqual([]);
    await store.close();
  });

  it('adds usage counts per client, operation and field, and finds them by field or by type', async () => {
    const store = await open();
    const now = new Date();
    await store.recordUsage(
      [
        { clientId: 'web-app', operationName: 'TopProducts', field: 'Product.price', count: 2 },
        { clientId: 'web-app', operationName: 'TopProducts', field: 'Product.name', count: 2 },
        { clientId: 'mobile', operationName: '__anonymous__', field: 'Review.body', count: 1 },
      ],
      now,
    );
    await store.recordUsage([{ clientId: 'web-app', operationName: 'TopProducts', field: 'Product.price', count: 3 }], now);
    const price = await store.usage(['Product.price'], new Date(now.getTime() - 60_000));
    expect(price.map(({ clientId, operationName, field, count }) => ({ clientId, operationName, field, count }))).toEqual([
      { clientId: 'web-app', operationName: 'TopProducts', field: 'Product.price', count: 5 },
    ]);
    expect(Date.parse(price[0].lastSeen)).toBe(now.getTime());
    expect((await store.usage(['Product.'], new Date(now.getTime() - 60_000))).map((row) => row.field).sort()).toEqual(['Product.name', 'Product.price']);
    expect(await store.usage(['Product.upc'], new Date(now.getTime() - 60_000))).toEqual([]);
    // Outside the window: usage from two hours ago is not counted since one hour ago.
    const store2 = await open();
    await store2.recordUsage([{ clientId: 'old', operationName: 'Old', field: 'Product.price', count: 1 }], new Date(now.getTime() - 3 * 3_600_000));
    expect(await store2.usage(['Product.price'], new Date(now.getTime() - 3_600_000))).toEqual([]);
    await Promise.all([store.close(), store2.close()]);
  });

  it('tells a follower about every version made current', async () => {
    const store = await open();
    const heard: number[] = [];
    const stop = await store.follow((version) => heard.push(version));
    await store.append(draft('a'), undefined);
    await store.append(draft('b'), 1);
    await expect.poll(() => heard, { timeout: 10_000 }).toEqual([1, 2]);
    await stop();
    await store.close();
  });
});

describe('the registry store in PostgreSQL', () => {
  it('is shared: a second router opening the same schema sees the versions and hears new ones', async () => {
    const schema = uniqueSchema('shared');
    schemas.push(schema);
    const [one, two] = await Promise.all([openPostgresRegistry({ url: TEST_POSTGRES_URL, schema }), openPostgresRegistry({ url: TEST_POSTGRES_URL, schema })]);
    const heard: number[] = [];
    await two.follow((version) => heard.push(version));
    await one.append(draft('a'), undefined);
    await expect.poll(() => heard, { timeout: 10_000 }).toEqual([1]);
    expect((await two.current())?.supergraphHash).toBe('a');
    await Promise.all([one.close(), two.close()]);
  });

  it('follows again after its listening connection is killed, and catches up on what it missed', async () => {
    const schema = uniqueSchema('reconnect');
    schemas.push(schema);
    const store = await openPostgresRegistry({ url: TEST_POSTGRES_URL, schema, onError: () => undefined });
    const heard: number[] = [];
    await store.follow((version) => heard.push(version));
    await sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN ${schema}_versions'`);
    await store.append(draft('a'), undefined);
    await expect.poll(() => heard.includes(1), { timeout: 15_000 }).toBe(true);
    await store.append(draft('b'), 1);
    await expect.poll(() => heard.includes(2), { timeout: 15_000 }).toBe(true);
    await store.close();
  });

  it('refuses a schema name that is not a plain identifier, before connecting', async () => {
    await expect(openPostgresRegistry({ url: TEST_POSTGRES_URL, schema: 'x; DROP TABLE y' })).rejects.toThrow(/letters, digits and underscores/);
  });

  it('names PostgreSQL when it cannot be reached', async () => {
    await expect(openPostgresRegistry({ url: 'postgres://postgres@127.0.0.1:1/test', schema: uniqueSchema('down') })).rejects.toThrow(/cannot open the schema registry in PostgreSQL/);
  });
});
