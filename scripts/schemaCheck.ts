// `npm run schema:check -- <subgraph> <file> [--json] [--router URL] [--issuer URL]`: checks a
// proposed subgraph SDL against the registry's current version (composition, breaking changes
// with the operations that used them, takeovers), as `deputy subgraph check` does. Exits 1 if it fails.
import { runRegistryCommand } from '../router/commands/registryCommand.js';
import { positionalRegistryArgs } from './schema/positionalRegistryArgs.js';

process.exit(await runRegistryCommand(positionalRegistryArgs('check', process.argv.slice(2))));
