import childProcess, { exec, execFileSync, fork, spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';

// The unit project's guard (test/unit/noProcessesOrSockets.ts) is in place in every unit file.

describe('a unit test', () => {
  it('cannot listen, with net or http', () => {
    expect(() => net.createServer().listen(0, '127.0.0.1')).toThrow(/listen\(\) in a unit test/);
    expect(() => createHttpServer().listen(0)).toThrow(/listen\(\) in a unit test/);
  });

  it('cannot start a process, however it is imported', () => {
    expect(() => spawn(process.execPath, ['-e', ''])).toThrow(/child_process.spawn\(\) in a unit test/);
    expect(() => childProcess.spawnSync(process.execPath, ['-e', ''])).toThrow(/spawnSync/);
    expect(() => fork('nothing.js')).toThrow(/fork/);
    expect(() => exec('true')).toThrow(/exec\(\)/);
    expect(() => execFileSync('true')).toThrow(/execFileSync/);
  });

  it('cannot open a connection: net.connect, net.createConnection or fetch', async () => {
    expect(() => net.connect(9, '127.0.0.1')).toThrow(/connect\(\) in a unit test/);
    expect(() => net.createConnection({ port: 9, host: '127.0.0.1' })).toThrow(/connect\(\) in a unit test/);
    await expect(fetch('http://127.0.0.1:8080/')).rejects.toMatchObject({ cause: { name: 'NotInUnitTests' } });
  });
});
