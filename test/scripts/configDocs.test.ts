import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, configSchemaText, withConfigTable } from '../../scripts/config/configDocs.js';
import { configJsonSchema } from '../../scripts/config/configJsonSchema.js';

const STALE = 'is out of date with router/config/configSchema.ts: run `npm run config:docs` and commit the result';

describe('the router configuration documents', () => {
  it('commits the JSON Schema that the zod schema generates', () => {
    expect(readFileSync(CONFIG_SCHEMA_FILE, 'utf8'), `${CONFIG_SCHEMA_FILE} ${STALE}`).toBe(configSchemaText());
  });

  it("commits the README's configuration table that the zod schema generates", () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme, `README.md's configuration table ${STALE}`).toBe(withConfigTable(readme));
  });

  it('describes every option, and keeps the default of a flag that zod leaves out', () => {
    const undescribed: string[] = [];
    const walk = (schema: ReturnType<typeof configJsonSchema>, path: string) => {
      for (const [name, child] of Object.entries(schema.properties ?? {})) {
        if (!child.description) undescribed.push(`${path}${name}`);
        walk(child, `${path}${name}.`);
        if (typeof child.additionalProperties === 'object') walk(child.additionalProperties, `${path}${name}.<key>.`);
      }
    };
    walk(configJsonSchema(), '');
    expect(undescribed).toEqual([]);
    expect(configJsonSchema().properties?.supergraph.properties?.watch.default).toBe(true);
  });
});
