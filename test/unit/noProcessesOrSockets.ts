// Setup file of the `unit` project (vitest.config.ts): a unit test starts no server, no process
// and opens no connection. Any attempt throws at once, naming what was tried, instead of
// quietly turning a unit test into a slow or flaky end-to-end one.
import childProcess from 'node:child_process';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

/** The error every guarded call throws. */
export class NotInUnitTests extends Error {
  constructor(what: string) {
    super(`${what} in a unit test: unit tests start no server or process and open no connection (move the test to an end-to-end folder, see README.md "Tests")`);
    this.name = 'NotInUnitTests';
  }
}

const refuse = (what: string) =>
  function refused(): never {
    throw new NotInUnitTests(what);
  };

net.Server.prototype.listen = refuse('listen()');
// net.connect, net.createConnection, tls.connect and every HTTP client (fetch included) go through here.
net.Socket.prototype.connect = refuse('a socket connect()');
for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'] as const) {
  (childProcess as unknown as Record<string, unknown>)[name] = refuse(`child_process.${name}()`);
}
// `import { spawn } from 'node:child_process'` reads the ES module's exports: bring them in line.
syncBuiltinESMExports();
