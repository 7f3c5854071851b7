import type { SchemaChange } from '../checks/checkSchemaChange.js';

/** One subgraph of a version: its name, where the router reaches it, and its SDL as its team published it. */
export interface SubgraphRecord {
  name: string;
  routingUrl: string;
  sdl: string;
}

/** How a version came to be; `reload`: served from the supergraph file or another router without a registry (development). */
export type VersionAction = 'initial' | 'publish' | 'rollback' | 'reload';

/** One version of the supergraph: what was published, by whom, and the composed result. */
export interface SchemaVersion {
  /** 1, 2, 3...: the order versions became current. */
  version: number;
  /** ISO 8601. */
  createdAt: string;
  action: VersionAction;
  /** The client that published (a team client, a registry admin, or the router that seeded it). */
  client: string;
  /** The subgraph a publish changed; none for an initial version or a rollback. */
  subgraph?: string;
  /** For a rollback: the version it restored. */
  rollbackOf?: number;
  supergraphHash: string;
  supergraphSdl: string;
  subgraphs: SubgraphRecord[];
  /** What changed for clients against the version before. */
  changes: SchemaChange[];
}

/** A version without its SDL, for history listings. */
export type VersionSummary = Omit<SchemaVersion, 'supergraphSdl' | 'subgraphs'>;

/** A version about to be appended. */
export type VersionDraft = Omit<SchemaVersion, 'version' | 'createdAt'>;

/** An owning team's consent that another subgraph takes over one of its fields. */
export interface Approval {
  /** The field, as a schema coordinate: `Product.price`. */
  field: string;
  /** The subgraph that resolves the field today and gives it up. */
  owner: string;
  /** The subgraph that may take it over. */
  taker: string;
  /** The client that approved (the owner's team, or a registry admin). */
  approvedBy: string;
  createdAt: string;
  /** The version whose publish used the approval; an approval is used once. */
  usedInVersion?: number;
}

/** How often one client's operation used one field, aggregated (never per user, never variables). */
export interface FieldUsage {
  clientId: string;
  operationName: string;
  /** Schema coordinate: `Product.price`. */
  field: string;
  count: number;
}

/** Field usage in a window, with when it was last seen. */
export interface FieldUsageSummary extends FieldUsage {
  lastSeen: string;
}

/** Thrown by `append` when another publish made a version current first. */
export class VersionConflictError extends Error {
  constructor(readonly expected: number | undefined, readonly actual: number | undefined) {
    super(`the current version is ${actual ?? 'none'}, not ${expected ?? 'none'}: another publish landed first`);
    this.name = 'VersionConflictError';
  }
}

/**
 * Where versions, approvals and usage live: PostgreSQL (postgresRegistryStore.ts) shared by every
 * router and the `deputy schema` verbs, or memory (memoryRegistryStore.ts) for development.
 */
export interface RegistryStore {
  /** The current version; undefined before the first. */
  current(): Promise<SchemaVersion | undefined>;
  version(version: number): Promise<SchemaVersion | undefined>;
  /** The latest versions, newest first. */
  history(limit: number): Promise<VersionSummary[]>;
  /**
   * Makes `draft` the current version if the current one is still `expectedCurrent` (undefined:
   * there is none yet), marking `approvals` used by it, all in one transaction; throws
   * VersionConflictError otherwise. Every follower hears of it.
   */
  append(draft: VersionDraft, expectedCurrent: number | undefined, approvals?: Approval[]): Promise<SchemaVersion>;
  /** Records an approval (replacing an unused one for the same field, owner and taker). */
  approve(approval: Omit<Approval, 'createdAt' | 'usedInVersion'>): Promise<Approval>;
  /** The unused approvals for `taker`. */
  approvalsFor(taker: string): Promise<Approval[]>;
  /** Adds aggregated usage counts, seen at `at`. */
  recordUsage(rows: FieldUsage[], at: Date): Promise<void>;
  /** Usage of `fields` (coordinates; `Type.` prefixes match every field of a type) since `since`. */
  usage(fields: string[], since: Date): Promise<FieldUsageSummary[]>;
  /** Calls `listener` with the version number whenever a version becomes current, from any process; resolves to stop following. */
  follow(listener: (version: number) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
