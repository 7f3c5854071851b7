// Entry point of the authorization server process: `node dist/auth-server/main.js` (from the sources: `node --import tsx auth-server/main.ts`).
import { portVariable } from '../lib/defaults.js';
import { stopOnSignalOrParentExit } from '../lib/stopOnSignalOrParentExit.js';
import { loadAuthConfig } from './loadConfig.js';
import { startAuthServer } from './startAuthServer.js';

try {
  // Audit events are JSON lines on stdout, like the router's default audit sink.
  const audit = (event: object) => console.log(JSON.stringify({ time: new Date().toISOString(), ...event }));
  const server = await startAuthServer(loadAuthConfig(), `Set ${portVariable('auth')} to another port.`, { audit });
  console.log(`authorization server listening on ${server.issuer} (discovery: ${server.issuer}/.well-known/openid-configuration)`);
  stopOnSignalOrParentExit(() => server.stop());
} catch (error) {
  console.error(`auth-server: ${(error as Error).message}`);
  process.exit(1);
}
