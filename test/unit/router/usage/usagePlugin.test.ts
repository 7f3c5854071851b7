import { createRequire } from 'node:module';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode } from 'graphql';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { FieldUsage } from '../../../../registry/store/registryStore.js';
import { noReportingPlugins } from '../../../../lib/apollo/noPhoningHome.js';
import { createFieldsUsedCache } from '../../../../router/usage/fieldsUsedCache.js';
import { UsageRecorder } from '../../../../router/usage/usageRecorder.js';
import { usagePlugin } from '../../../../router/usage/usagePlugin.js';

// Apollo Server loads graphql's CommonJS build, the router's sources under vitest its ESM build: the
// schema is built with Apollo's copy, and the walk (fieldsUsed, tested on its own) is replaced by one
// that reads the document's plain AST, so no graphql function meets an object of the other copy.
const { buildSchema, GraphQLError } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

interface TestContext {
  clientId?: string;
}

const flushed: FieldUsage[][] = [];
const recorder = new UsageRecorder({ sink: { recordUsage: async (rows) => void flushed.push(rows) }, flushIntervalMs: 0 });
let walks = 0;
/** The root fields of the operation: enough to see which operation the plugin walked, and when. */
const rootFields = (_schema: unknown, document: DocumentNode, operationName?: string) => {
  walks += 1;
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === operationName);
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return [];
  return operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [`Query.${selection.name.value}`] : []));
};
const cache = createFieldsUsedCache({ walk: rootFields });
// Stands for demand control: refuses an operation once resolved, before it executes.
const refuseExpensive: ApolloServerPlugin<TestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName }) {
        if (operationName === 'Expensive') throw new GraphQLError('too costly', { extensions: { code: 'COST_TOO_HIGH' } });
      },
    };
  },
};
const server = new ApolloServer<TestContext>({
  schema: buildSchema(`
    type Author { name: String }
    type Book { title: String }
    type Query { authors: [Author] book: Book }
  `),
  plugins: [...noReportingPlugins<TestContext>(), refuseExpensive, usagePlugin<TestContext>(recorder, (context) => context.clientId, cache)],
});

const run = (query: string, clientId?: string, operationName?: string) => server.executeOperation({ query, operationName }, { contextValue: { clientId } });
const recorded = async () => {
  flushed.length = 0;
  await recorder.flush();
  return flushed.flat().sort((a, b) => a.field.localeCompare(b.field));
};

beforeEach(async () => {
  await recorder.flush();
  walks = 0;
});

afterAll(async () => {
  await recorder.stop();
  await server.stop();
});

describe('usagePlugin', () => {
  it('records the fields an executed operation used under the caller\'s client id and the operation name', async () => {
    await run(`query Books { authors { name } book { title } }`, 'web');
    expect(await recorded()).toEqual([
      { clientId: 'web', operationName: 'Books', field: 'Query.authors', count: 1 },
      { clientId: 'web', operationName: 'Books', field: 'Query.book', count: 1 },
    ]);
  });

  it('walks a repeated document once and counts every execution', async () => {
    await run(`{ authors { name } }`);
    await run(`{ authors { name } }`);
    expect(walks).toBe(1);
    expect(await recorded()).toEqual([{ clientId: '__anonymous__', operationName: '__anonymous__', field: 'Query.authors', count: 2 }]);
  });

  it('records nothing for a document that fails parsing or validation', async () => {
    expect((await run(`{ authors { name `, 'web')).body).toMatchObject({ singleResult: { errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] } });
    expect((await run(`{ authors { nickname } }`, 'web')).body).toMatchObject({ singleResult: { errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] } });
    expect(recorder.size).toBe(0);
    expect(walks).toBe(0);
  });

  it('records nothing when the operation name matches no operation of the document', async () => {
    await run(`query Books { authors { name } }`, 'web', 'Other');
    expect(recorder.size).toBe(0);
    expect(walks).toBe(0);
  });

  it('records nothing for an operation refused before execution', async () => {
    await run(`query Expensive { authors { name } }`, 'web');
    expect(recorder.size).toBe(0);
    expect(walks).toBe(0);
  });
});
