import DataLoader from 'dataloader';
import { fingerprint } from '../lib/fingerprint.js';
import { isQuery, type DelegateCall, type DelegateResult, type SendCalls } from './delegateCall.js';

/**
 * Calls for the same user, target, scopes and trace made within one tick go out as one send
 * (a DataLoader per group, its batch dispatched after the current tick's promise jobs, as
 * graphql-js resolves a list's fields). The group key holds the token's SHA-256 fingerprint,
 * never the token: two users' calls are never in one batch, as the broker acts for one
 * subject per request. A mutation goes alone, so the order of writes stays the caller's.
 */
export function batchCalls(send: SendCalls, maxBatchSize: number): (call: DelegateCall) => Promise<DelegateResult> {
  const loaders = new Map<string, DataLoader<DelegateCall, DelegateResult>>();
  return (call) => {
    if (!isQuery(call)) return single(send, call);
    const key = JSON.stringify([call.target, [...call.scopes].sort(), fingerprint(call.subjectToken), call.traceparent ?? null]);
    let loader = loaders.get(key);
    if (!loader) {
      const created = new DataLoader<DelegateCall, DelegateResult>(
        (calls) => {
          // The batch is leaving: calls from now on start the group's next batch.
          if (loaders.get(key) === created) loaders.delete(key);
          return send([...calls]);
        },
        { cache: false, maxBatchSize },
      );
      loaders.set(key, (loader = created));
    }
    return loader.load(call);
  };
}

async function single(send: SendCalls, call: DelegateCall): Promise<DelegateResult> {
  const [result] = await send([call]);
  if (result instanceof Error) throw result;
  return result;
}
