import { ErrorCode } from '../lib/errors/errorCodes.js';
import { registryRefusal } from './registryRefusal.js';
import type { RegistryStore, SchemaVersion, VersionSummary } from './store/registryStore.js';
import type { Actor, Composer, Proposal } from './registryTypes.js';
import { checkProposal, type CheckReport } from './operations/checkProposal.js';
import { publishProposal, type PublishDependencies, type PublishResult } from './operations/publishProposal.js';
import { rollbackTo } from './operations/rollbackTo.js';
import { approveTakeover, type ApprovalOutcome, type ApprovalRequest } from './operations/approveTakeover.js';
import { assertMayChange } from './operations/mayChange.js';

/** The registry's operations, as the router's admin API and the `deputy schema` verbs use them. */
export interface SchemaRegistry {
  store: RegistryStore;
  composer: Composer;
  check(actor: Actor, proposal: Proposal): Promise<CheckReport>;
  publish(actor: Actor, proposal: Proposal, allowBreaking: boolean): Promise<PublishResult>;
  rollback(actor: Actor, version: number): Promise<{ version: SchemaVersion; hashBefore: string }>;
  approve(actor: Actor, request: ApprovalRequest): Promise<ApprovalOutcome>;
  history(limit: number): Promise<VersionSummary[]>;
  /** Version `version`, or the current one. */
  fetch(version?: number): Promise<SchemaVersion>;
}

/**
 * The schema registry over a store. Changes made through one router are made one at a time
 * (several routers are kept apart by the store: a stale parent is VERSION_CONFLICT).
 */
export function createSchemaRegistry(deps: PublishDependencies): SchemaRegistry {
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(change: () => Promise<T>): Promise<T> => {
    const next = queue.then(change, change);
    queue = next.catch(() => undefined);
    return next;
  };
  const current = async (): Promise<SchemaVersion> => {
    const version = await deps.store.current();
    if (!version) throw registryRefusal(503, ErrorCode.PUBLISH_NOT_CONFIGURED, 'the registry has no version yet');
    return version;
  };

  return {
    store: deps.store,
    composer: deps.composer,
    async check(actor, proposal) {
      assertMayChange(actor, proposal.subgraph);
      return checkProposal(deps, await current(), proposal);
    },
    publish(actor, proposal, allowBreaking) {
      assertMayChange(actor, proposal.subgraph);
      return oneAtATime(() => publishProposal(deps, actor, proposal, allowBreaking));
    },
    rollback(actor, version) {
      return oneAtATime(() => rollbackTo(deps.store, deps.composer, actor, version));
    },
    approve(actor, request) {
      return approveTakeover(deps.store, actor, request);
    },
    history(limit) {
      return deps.store.history(limit);
    },
    async fetch(version) {
      if (version === undefined) return current();
      const found = await deps.store.version(version);
      if (!found) throw registryRefusal(404, ErrorCode.UNKNOWN_VERSION, `the registry has no version ${version}`);
      return found;
    },
  };
}
