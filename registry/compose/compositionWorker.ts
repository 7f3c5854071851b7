// The worker thread of compositionThread.ts: composes and diffs off the router's event loop.
// Each request is answered by id; an exception becomes an error reply, never a crash.
import { parentPort } from 'node:worker_threads';
import { checkSchemaChange } from '../checks/checkSchemaChange.js';
import { diffSupergraphs } from '../checks/diffSupergraphs.js';
import { composeSupergraph } from './composeSupergraph.js';
import type { CompositionMethods, CompositionReply, CompositionRequest } from './compositionProtocol.js';

type Handlers = { [M in keyof CompositionMethods]: (...args: CompositionMethods[M]['args']) => CompositionMethods[M]['result'] | Promise<CompositionMethods[M]['result']> };

const handlers: Handlers = { check: checkSchemaChange, diff: diffSupergraphs, compose: composeSupergraph };

async function answer(request: CompositionRequest): Promise<CompositionReply> {
  try {
    const handler = handlers[request.method] as (...args: unknown[]) => unknown;
    return { id: request.id, ok: true, value: await handler(...request.args) };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    return { id: request.id, ok: false, error: { name, message } };
  }
}

if (!parentPort) throw new Error('compositionWorker runs as a worker thread: use CompositionThread (compositionThread.ts)');
const port = parentPort;
port.on('message', async (request: CompositionRequest) => {
  const reply = await answer(request);
  try {
    port.postMessage(reply);
  } catch (error) {
    // A result that cannot be cloned still gets an answer, so no request waits forever.
    port.postMessage({ id: request.id, ok: false, error: { name: 'DataCloneError', message: (error as Error).message } } satisfies CompositionReply);
  }
});
