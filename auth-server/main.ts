// Entry point of the authorization server process: `node --import tsx auth-server/main.ts`.
import { portVariable } from '../lib/defaults.js';
import { stopOnSignalOrParentExit } from '../lib/stopOnSignal.js';
import { loadAuthConfig } from './loadConfig.js';
import { startAuthServer } from './startAuthServer.js';

try {
  const server = await startAuthServer(loadAuthConfig(), `Set ${portVariable('auth')} to another port.`);
  console.log(`authorization server listening on ${server.issuer} (discovery: ${server.issuer}/.well-known/openid-configuration)`);
  stopOnSignalOrParentExit(() => server.stop());
} catch (error) {
  console.error(`auth-server: ${(error as Error).message}`);
  process.exit(1);
}
