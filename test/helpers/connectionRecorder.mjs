// Records every outbound connection attempt and every name lookup of the process it is
// preloaded into, without changing what the process does:
//
//   DEPUTY_CONNECTION_LOG=/tmp/log.jsonl node --import ./test/helpers/connectionRecorder.mjs app.js
//   NODE_OPTIONS=--import=file:///abs/path/connectionRecorder.mjs (reaches child processes too)
//
// One JSON line per attempt is appended, synchronously (nothing is lost when the process exits):
//   {"kind":"connect","host":"127.0.0.1","port":4010,"pid":123,"ppid":100,"proc":"router/cli.ts"}
//   {"kind":"connect","path":"/tmp/some.sock","pid":123,"proc":"..."}      (Unix socket)
//   {"kind":"lookup","host":"metadata.google.internal","via":"dns.lookup","pid":123,"proc":"..."}
//   {"kind":"udp","host":"8.8.8.8","port":53,"pid":123,"proc":"..."}
//   {"kind":"start","pid":123,"proc":"..."}                                  (recorder loaded)
//
// What it hooks, and why that is enough for TCP:
// - net.Socket.prototype.connect: net.connect/createConnection, http(s).Agent, tls.connect
//   (a TLSSocket connects through it) and Node's built-in fetch (undici's connector calls
//   net.connect / tls.connect) all end up there.
// - dns.lookup and dns.promises.lookup: what net uses to resolve a host name (read from the
//   dns module at call time), and what libraries call directly; dns.resolve* (c-ares, which
//   bypasses lookup) on the module and on Resolver instances; dgram sends (UDP).
// Connections made from worker threads are not seen (each thread has its own modules).
import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const LOG = process.env.DEPUTY_CONNECTION_LOG;

/** Which program this is: the script and its first argument (e.g. `subgraphs/main.ts accounts`). */
function processName() {
  const args = process.argv.slice(1);
  const script = args.findIndex((arg) => /\.(ts|js|mjs|cjs)$/.test(arg));
  if (script === -1) return args.join(' ') || process.argv0;
  return args
    .slice(script, script + 2)
    .map((arg) => arg.replace(`${process.cwd()}/`, ''))
    .join(' ');
}

function record(entry) {
  if (!LOG) return;
  try {
    appendFileSync(LOG, `${JSON.stringify({ ...entry, pid: process.pid, ppid: process.ppid, proc: processName() })}\n`);
  } catch {
    // Recording must never change what the process does.
  }
}

/** The destination of Socket#connect's arguments (options, [options, cb], port/host, or path). */
function destination(args) {
  let first = args[0];
  // net.connect() hands Socket#connect its already normalized arguments: [options, callback].
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    if (first.path !== undefined && first.path !== null) return { path: String(first.path) };
    return { host: first.host ?? 'localhost', port: first.port === undefined ? undefined : Number(first.port) };
  }
  if (typeof first === 'number' || (typeof first === 'string' && first !== '' && Number.isInteger(Number(first)))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
  }
  if (typeof first === 'string') return { path: first };
  return { host: 'unknown', detail: String(first) };
}

// One line when the recorder loads, so a test can tell which processes it reached.
record({ kind: 'start' });

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  try {
    record({ kind: 'connect', ...destination(args) });
  } catch {
    // never let recording fail a connect
  }
  return originalConnect.apply(this, args);
};

/** Replaces `target[name]` by a function that records `{kind:'lookup', host: first argument}` and calls it. */
function recordLookups(target, name, via) {
  const original = target?.[name];
  if (typeof original !== 'function') return;
  const wrapped = {
    [name](...args) {
      record({ kind: 'lookup', host: String(args[0]), via });
      return original.apply(this, args);
    },
  }[name];
  Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(original));
  target[name] = wrapped;
}

const RESOLVE = [
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCaa',
  'resolveCname',
  'resolveMx',
  'resolveNaptr',
  'resolveNs',
  'resolvePtr',
  'resolveSoa',
  'resolveSrv',
  'resolveTxt',
  'reverse',
];

// dns.lookup keeps its util.promisify.custom (copied by defineProperties above).
recordLookups(dns, 'lookup', 'dns.lookup');
recordLookups(dns, 'lookupService', 'dns.lookupService');
recordLookups(dns.promises, 'lookup', 'dns.promises.lookup');
recordLookups(dns.promises, 'lookupService', 'dns.promises.lookupService');
for (const name of RESOLVE) {
  // The module's functions are bound to the default resolver already: wrapping both the module
  // and the prototype records each call once.
  recordLookups(dns, name, `dns.${name}`);
  recordLookups(dns.Resolver.prototype, name, `dns.Resolver#${name}`);
  recordLookups(dns.promises, name, `dns.promises.${name}`);
  recordLookups(dns.promises.Resolver.prototype, name, `dns.promises.Resolver#${name}`);
}

/** UDP: connect(port, address) and send(msg, [offset, length,] port, address). */
const originalUdpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function connect(...args) {
  record({ kind: 'udp', host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(args[0]) });
  return originalUdpConnect.apply(this, args);
};
const originalUdpSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function send(...args) {
  const at = typeof args[3] === 'number' ? 3 : 1;
  if (typeof args[at] === 'number') record({ kind: 'udp', host: typeof args[at + 1] === 'string' ? args[at + 1] : 'localhost', port: args[at] });
  return originalUdpSend.apply(this, args);
};

// `import { lookup } from 'node:dns'` in ES modules loaded after this one sees the wrappers too.
syncBuiltinESMExports();
