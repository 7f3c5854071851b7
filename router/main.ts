// Entry point of the router process: `node --import tsx router/main.ts` (see also bin/deputy).
import { portVariable } from '../lib/defaults.js';
import { stopOnSignalOrParentExit } from '../lib/stopOnSignal.js';
import { configPath, loadRouterConfig } from './config/loadRouterConfig.js';
import { startRouter } from './startRouter.js';

try {
  const file = configPath();
  const router = await startRouter(loadRouterConfig(file), `Set ${portVariable('router')} or listen.port in ${file} to another port.`);
  console.log(`router listening on ${router.url} (config ${file})`);
  stopOnSignalOrParentExit(() => router.stop());
} catch (error) {
  console.error(`router: ${(error as Error).message}`);
  process.exit(1);
}
