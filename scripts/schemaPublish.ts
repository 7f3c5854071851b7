// `npm run schema:publish -- <subgraph> <file> [--allow-breaking] [--routing-url URL] [--router URL]
// [--issuer URL]`: publishes a subgraph SDL to the registry through the router, as `deputy
// subgraph publish` does (the same checks first, then the deploy check).
import { runRegistryCommand } from '../router/commands/registryCommand.js';
import { positionalRegistryArgs } from './schema/positionalRegistryArgs.js';

process.exit(await runRegistryCommand(positionalRegistryArgs('publish', process.argv.slice(2))));
