import type { Approval, FieldUsage, FieldUsageSummary, RegistryStore, SchemaVersion } from './registryStore.js';
import { VersionConflictError } from './registryStore.js';

const HOUR_MS = 3_600_000;

const usageKey = (row: FieldUsage, bucket: number) => JSON.stringify([row.field, row.clientId, row.operationName, bucket]);

/**
 * The registry in this process's memory: the same rules as PostgreSQL's (versions in order,
 * approvals used once, usage by the hour), nothing kept across a restart and nothing shared
 * with other routers. For development, and for a router configured without `registry.postgres`.
 */
export function memoryRegistry(): RegistryStore {
  const versions: SchemaVersion[] = [];
  const approvals: Approval[] = [];
  const usage = new Map<string, FieldUsage & { bucket: number; lastSeen: number }>();
  const listeners = new Set<(version: number) => void>();
  const latest = () => versions.at(-1);

  return {
    async current() {
      return latest();
    },
    async version(version) {
      return versions[version - 1];
    },
    async history(limit) {
      return versions
        .slice(-limit)
        .reverse()
        .map(({ supergraphSdl: _sdl, subgraphs: _subgraphs, ...summary }) => summary);
    },
    async append(draft, expectedCurrent, used = []) {
      if (latest()?.version !== expectedCurrent) throw new VersionConflictError(expectedCurrent, latest()?.version);
      // A copy, without undefined keys: what PostgreSQL would give back.
      const version = JSON.parse(JSON.stringify({ ...draft, version: versions.length + 1, createdAt: new Date().toISOString() })) as SchemaVersion;
      versions.push(version);
      for (const approval of approvals) {
        const isUsed = used.some((one) => one.field === approval.field && one.owner === approval.owner && one.taker === approval.taker);
        if (isUsed && approval.usedInVersion === undefined) approval.usedInVersion = version.version;
      }
      for (const listener of listeners) queueMicrotask(() => listener(version.version));
      return version;
    },
    async approve(approval) {
      const unused = approvals.findIndex((one) => one.usedInVersion === undefined && one.field === approval.field && one.owner === approval.owner && one.taker === approval.taker);
      if (unused >= 0) approvals.splice(unused, 1);
      const recorded: Approval = { ...approval, createdAt: new Date().toISOString() };
      approvals.push(recorded);
      return recorded;
    },
    async approvalsFor(taker) {
      return approvals.filter((approval) => approval.taker === taker && approval.usedInVersion === undefined);
    },
    async recordUsage(rows, at) {
      const bucket = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
      for (const row of rows) {
        const key = usageKey(row, bucket);
        const known = usage.get(key);
        if (known) {
          known.count += row.count;
          known.lastSeen = Math.max(known.lastSeen, at.getTime());
        } else usage.set(key, { ...row, bucket, lastSeen: at.getTime() });
      }
    },
    async usage(fields, since): Promise<FieldUsageSummary[]> {
      const from = Math.floor(since.getTime() / HOUR_MS) * HOUR_MS;
      const matches = (field: string) => fields.some((wanted) => (wanted.endsWith('.') ? field.startsWith(wanted) : field === wanted));
      const totals = new Map<string, FieldUsageSummary>();
      for (const row of usage.values()) {
        if (row.bucket < from || !matches(row.field)) continue;
        const key = JSON.stringify([row.field, row.clientId, row.operationName]);
        const total = totals.get(key) ?? { clientId: row.clientId, operationName: row.operationName, field: row.field, count: 0, lastSeen: new Date(0).toISOString() };
        total.count += row.count;
        if (row.lastSeen > Date.parse(total.lastSeen)) total.lastSeen = new Date(row.lastSeen).toISOString();
        totals.set(key, total);
      }
      return [...totals.values()].sort((a, b) => a.field.localeCompare(b.field) || a.clientId.localeCompare(b.clientId) || a.operationName.localeCompare(b.operationName));
    },
    async follow(listener) {
      listeners.add(listener);
      return async () => void listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
