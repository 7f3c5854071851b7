// The `deputy` command (bin/deputy.js) and the router process of `npm start`. What it prints
// with console (help, version, the ready line, why a start failed) is the command's own output;
// everything the running router reports goes through its logger (JSON lines on stderr).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { portVariable } from '../lib/defaults.js';
import { packagePath } from '../lib/packagePath.js';
import { stopOnSignalOrParentExit } from '../lib/stopOnSignalOrParentExit.js';
import { configPath } from '../lib/config/configPath.js';

const HELP = `Usage: deputy [--config router.yaml] [--supergraph file.graphql | --rover rover.yaml] [--port N]
       deputy schema history | fetch | rollback ...      (the schema registry; deputy schema --help)
       deputy subgraph check | publish | fetch | approve ...
       deputy audit --trace <id> | --subject <user> [--since 1h] | --prune   (deputy audit --help)

Runs the Deputy router: a GraphQL federation router that exchanges the caller's token
(RFC 8693) for a token scoped to each subgraph it fetches.

  --config <file>      router configuration (default: $DEPUTY_CONFIG, else the package's
                       router/router.yaml); its relative paths are relative to it
  --supergraph <file>  a composed supergraph SDL (overrides supergraph.file)
  --rover <file>       a rover supergraph config to compose at start (overrides supergraph)
  --port <n>           the port to listen on (overrides listen.port)
  --version            the version
  --help               this text

Every configuration option and its default: README.md, "Router configuration".`;

// The registry verbs (deputy schema ..., deputy subgraph ...) load only the admin API client.
const noun = process.argv[2];
if (noun === 'schema' || noun === 'subgraph') {
  const { runRegistryCommand } = await import('./commands/registryCommand.js');
  process.exit(await runRegistryCommand(process.argv.slice(2)));
}
// The audit verb (deputy audit ...) reads the audit store in PostgreSQL.
if (noun === 'audit') {
  const { runAuditCommand } = await import('./commands/auditCommand.js');
  process.exit(await runAuditCommand(process.argv.slice(3)));
}

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    supergraph: { type: 'string' },
    rover: { type: 'string' },
    port: { type: 'string' },
    help: { type: 'boolean', default: false },
    version: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (values.version) {
  // The package's own version, read from its location (not the working directory).
  const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  console.log(`deputy ${manifest.version}`);
  process.exit(0);
}

try {
  // The router's modules (the gateway, Apollo Server, OpenTelemetry...) load only now, so --help
  // and --version answer at once.
  const [{ loadRouterConfig }, { startRouter }, { createLogger }] = await Promise.all([
    import('./config/loadRouterConfig.js'),
    import('./startRouter.js'),
    import('./observability/createLogger.js'),
  ]);
  const file = values.config ?? configPath();
  const config = loadRouterConfig(file);
  // Paths on the command line are relative to the working directory (those in the file, to the file).
  if (values.supergraph) config.supergraph = { ...config.supergraph, file: resolve(values.supergraph), rover: undefined };
  if (values.rover) config.supergraph = { ...config.supergraph, rover: resolve(values.rover), file: undefined };
  if (values.port !== undefined) config.listen.port = Number(values.port);
  // Stopped while still waiting for the issuer: nothing to drain, a clean exit.
  const starting = new AbortController();
  const abortStart = () => starting.abort();
  process.once('SIGINT', abortStart).once('SIGTERM', abortStart);
  const logger = createLogger();
  const router = await startRouter(config, {
    logger,
    portHint: `Set ${portVariable('router')}, --port or listen.port in ${file} to another port.`,
    signal: starting.signal,
    onWaiting: (url, problem, waitingFor) =>
      logger.warn(
        { url, waitingFor, problem },
        `listening on ${url} but not ready: ${waitingFor === 'issuer' ? `the issuer ${config.auth.issuer}` : "the schema registry's PostgreSQL"} cannot be reached yet (${problem}); retrying`,
      ),
  });
  process.off('SIGINT', abortStart).off('SIGTERM', abortStart);
  // Time from the process's start to ready (performance.now() counts from the process's start).
  console.log(`router listening on ${router.url} (config ${file}, mode ${config.mode}); ready in ${Math.round(performance.now())} ms`);
  stopOnSignalOrParentExit(() => router.stop());
} catch (error) {
  if ((error as Error).name === 'AbortError') process.exit(0);
  console.error(`deputy: ${(error as Error).message}`);
  process.exit(1);
}
