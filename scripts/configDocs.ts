// `npm run config:docs`: writes the router configuration's JSON Schema and README.md's
// configuration table from the zod schema (router/config/configSchema.ts). CI checks both.
import { readFileSync, writeFileSync } from 'node:fs';
import { CONFIG_SCHEMA_FILE, configSchemaText, withConfigTable } from './config/configDocs.js';

writeFileSync(CONFIG_SCHEMA_FILE, configSchemaText());
writeFileSync('README.md', withConfigTable(readFileSync('README.md', 'utf8')));
console.log(`config:docs: wrote ${CONFIG_SCHEMA_FILE} and README.md's configuration table`);
