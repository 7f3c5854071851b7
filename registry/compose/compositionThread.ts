import { Worker } from 'node:worker_threads';
import type { SchemaChange, SchemaCheck } from '../checks/checkSchemaChange.js';
import type { CompositionOutcome, SubgraphSource } from './composeSupergraph.js';
import type { CompositionMethods, CompositionReply } from './compositionProtocol.js';
import { CompositionException, CompositionThreadError } from './compositionErrors.js';
import { workerEntry, type WorkerEntry } from './workerEntry.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Composition and schema diffs in one long-lived worker thread, so that composing a large
 * supergraph (seconds of CPU) never stalls the event loop that serves queries. The worker
 * starts on first use; requests are multiplexed by id. A crashed worker fails the requests it
 * held and the next request starts a fresh one. The worker never keeps a process alive.
 */
export class CompositionThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly entry: WorkerEntry = workerEntry(new URL('./compositionWorker.ts', import.meta.url))) {}

  /** checkSchemaChange in the worker: composes `proposed` with `subgraphs` and diffs with the current supergraph. */
  check(currentSupergraphSdl: string | undefined, subgraphs: SubgraphSource[], proposed: SubgraphSource): Promise<SchemaCheck> {
    return this.request('check', [currentSupergraphSdl, subgraphs, proposed]);
  }

  /** diffSupergraphs in the worker: what changes for clients from one supergraph to another (e.g. a rollback). */
  diff(beforeSupergraphSdl: string | undefined, afterSupergraphSdl: string): Promise<SchemaChange[]> {
    return this.request('diff', [beforeSupergraphSdl, afterSupergraphSdl]);
  }

  /** composeSupergraph in the worker. */
  compose(sources: SubgraphSource[]): Promise<CompositionOutcome> {
    return this.request('compose', [sources]);
  }

  /** Stops the worker; requests in flight and any later request fail with a CompositionThreadError. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new CompositionThreadError('the composition thread was closed before it answered'));
    await worker?.terminate();
  }

  private request<M extends keyof CompositionMethods>(method: M, args: CompositionMethods[M]['args']): Promise<CompositionMethods[M]['result']> {
    if (this.closed) return Promise.reject(new CompositionThreadError('the composition thread is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      try {
        worker.postMessage({ id, method, args });
      } catch (error) {
        return reject(error as Error);
      }
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // Referenced only while it owes an answer: a process awaiting one stays up, an idle one may exit.
      worker.ref();
    });
  }

  private start(): Worker {
    const worker = new Worker(this.entry.filename, { ...this.entry.options, name: 'deputy-composition' });
    worker.unref();
    worker.on('message', (reply: CompositionReply) => this.settle(worker, reply));
    worker.on('error', (error) => this.lost(worker, `failed: ${error.message}`));
    worker.on('exit', (code) => this.lost(worker, `exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private settle(worker: Worker, reply: CompositionReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) worker.unref();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new CompositionException(reply.error.message, reply.error.name));
  }

  /** The worker is gone (an uncaught error, then its exit): fail what it held; the next request starts another. */
  private lost(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(new CompositionThreadError(`the composition worker ${why}; ${this.pending.size} request(s) in flight failed`));
  }

  private failAll(error: CompositionThreadError): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of pending) reject(error);
  }
}
