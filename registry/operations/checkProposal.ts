import { ErrorCode, type ErrorCodeValue } from '../../lib/errors/errorCodes.js';
import type { CompositionProblem, SubgraphSource } from '../compose/composeSupergraph.js';
import type { SchemaChange } from '../checks/checkSchemaChange.js';
import type { Takeover } from '../checks/findTakeovers.js';
import { affectedFields } from '../checks/affectedFields.js';
import { registryRefusal } from '../registryRefusal.js';
import type { Approval, FieldUsageSummary, RegistryStore, SchemaVersion } from '../store/registryStore.js';
import type { Composer, Proposal } from '../registryTypes.js';

/** A breaking change and the operations that used what it breaks within the usage window. */
export interface BreakingChange extends SchemaChange {
  usedBy: FieldUsageSummary[];
}

/** A takeover, and whether every owning team approved it. */
export interface CheckedTakeover extends Takeover {
  approved: boolean;
}

/** The verdict on a proposal against the current version. */
export interface CheckReport {
  subgraph: string;
  /** The version checked against. */
  basedOn: number;
  composes: boolean;
  problems: CompositionProblem[];
  changes: SchemaChange[];
  /** Every breaking change, each with the operations that used it (none: safe to make). */
  breaking: BreakingChange[];
  takeovers: CheckedTakeover[];
  /** The codes a publish would be refused with; empty when it may be published. */
  failures: ErrorCodeValue[];
  /** The composed supergraph, when it composes. */
  supergraphSdl?: string;
  /** Approvals a publish would use. */
  approvals: Approval[];
  /** The subgraphs the next version would have. */
  subgraphs: SubgraphSource[];
}

/** A check report as teams read it (the admin API's answer): no supergraph SDL, no internal bookkeeping. */
export type PublicCheckReport = Omit<CheckReport, 'supergraphSdl' | 'subgraphs' | 'approvals'> & { ok: boolean };

/** The report without what only a publish needs, and whether it passed. */
export function publicReport(report: CheckReport): PublicCheckReport {
  const { supergraphSdl: _sdl, subgraphs: _subgraphs, approvals: _approvals, ...rest } = report;
  return { ...rest, ok: report.failures.length === 0 };
}

export interface CheckDependencies {
  store: RegistryStore;
  composer: Composer;
  /** How far back usage counts. */
  usageWindowMs: number;
  /** Writes this router's usage counted so far, so the check sees it. */
  flushUsage?: () => Promise<void>;
  now?: () => Date;
}

/** The subgraphs of a version, as composition takes them. */
export function sourcesOf(version: SchemaVersion): SubgraphSource[] {
  return version.subgraphs.map((subgraph) => ({ ...subgraph, sourceName: `${subgraph.name} (version ${version.version})` }));
}

/** The proposal as a composition source: its routing URL, else the current one; refused when neither exists. */
function proposedSource(current: SchemaVersion, proposal: Proposal): SubgraphSource {
  if (current.subgraphs.length === 0) throw registryRefusal(503, ErrorCode.PUBLISH_NOT_CONFIGURED, 'the registry holds no subgraph SDLs (set supergraph.sources, or publish with a routingUrl)');
  const existing = current.subgraphs.find((subgraph) => subgraph.name === proposal.subgraph);
  const routingUrl = proposal.routingUrl ?? existing?.routingUrl;
  if (!routingUrl) {
    throw registryRefusal(404, ErrorCode.UNKNOWN_SUBGRAPH, `no subgraph named ${proposal.subgraph} in version ${current.version}; give its routingUrl to add it`, {
      known: current.subgraphs.map((subgraph) => subgraph.name),
    });
  }
  return { name: proposal.subgraph, routingUrl, sdl: proposal.sdl, sourceName: `${proposal.subgraph} (proposed)` };
}

async function withUsage(changes: SchemaChange[], deps: CheckDependencies): Promise<BreakingChange[]> {
  if (changes.length === 0) return [];
  await deps.flushUsage?.();
  const since = new Date((deps.now?.() ?? new Date()).getTime() - deps.usageWindowMs);
  return Promise.all(changes.map(async (change) => ({ ...change, usedBy: await deps.store.usage(change.affects ?? affectedFields([change]), since) })));
}

async function withApprovals(takeovers: Takeover[], store: RegistryStore, taker: string): Promise<{ checked: CheckedTakeover[]; used: Approval[] }> {
  if (takeovers.length === 0) return { checked: [], used: [] };
  const approvals = await store.approvalsFor(taker);
  const used: Approval[] = [];
  const checked = takeovers.map((takeover) => {
    const granted = takeover.owners.map((owner) => approvals.find((approval) => approval.field === takeover.field && approval.owner === owner));
    const approved = granted.every(Boolean);
    if (approved) used.push(...(granted as Approval[]));
    return { ...takeover, approved };
  });
  return { checked, used };
}

/**
 * Checks a proposal against the registry's current version: composition (in the composer's
 * thread), breaking changes with the operations that used them in the usage window, and
 * takeovers of other subgraphs' fields with their approvals. Never changes anything.
 */
export async function checkProposal(deps: CheckDependencies, current: SchemaVersion, proposal: Proposal): Promise<CheckReport> {
  const proposed = proposedSource(current, proposal);
  const sources = sourcesOf(current);
  const subgraphs = sources.some((source) => source.name === proposed.name) ? sources.map((source) => (source.name === proposed.name ? proposed : source)) : [...sources, proposed];
  const report: CheckReport = { subgraph: proposal.subgraph, basedOn: current.version, composes: false, problems: [], changes: [], breaking: [], takeovers: [], failures: [], approvals: [], subgraphs };
  const check = await deps.composer.check(current.supergraphSdl, sources, proposed);
  if (!check.composes) return { ...report, problems: check.problems, failures: [ErrorCode.COMPOSITION_FAILED] };
  const [breaking, takeovers] = await Promise.all([withUsage(check.breaking, deps), withApprovals(check.takeovers, deps.store, proposal.subgraph)]);
  const failures: ErrorCodeValue[] = [];
  if (takeovers.checked.some((takeover) => !takeover.approved)) failures.push(ErrorCode.TAKEOVER_NOT_APPROVED);
  if (breaking.some((change) => change.usedBy.length > 0)) failures.push(ErrorCode.BREAKING_CHANGES);
  return { ...report, composes: true, supergraphSdl: check.supergraphSdl, changes: check.changes, breaking, takeovers: takeovers.checked, approvals: takeovers.used, failures };
}
