import { formatProblems } from '../../registry/compose/composeSupergraph.js';
import type { SchemaChange } from '../../registry/checks/checkSchemaChange.js';
import type { PublicCheckReport } from '../../registry/operations/checkProposal.js';
import type { VersionSummary } from '../../registry/store/registryStore.js';

/** A check report as the admin API sends it. */
export type CheckReportBody = PublicCheckReport;

function changeLine(change: SchemaChange): string {
  return `  ${change.level.toUpperCase().padEnd(9)} ${change.type}${change.path ? ` ${change.path}` : ''}: ${change.message}`;
}

/** The check as lines for a terminal or a CI log: changes, breaking ones with who used them, takeovers, the verdict. */
export function formatCheck(report: CheckReportBody): string {
  const lines = [`${report.subgraph} against version ${report.basedOn}:`];
  if (!report.composes) return [...lines, `✗ does not compose (${report.problems.length} error(s))`, formatProblems(report.problems)].join('\n');
  if (report.changes.length === 0) lines.push('  no change for clients');
  for (const change of report.changes) lines.push(changeLine(change));
  for (const change of report.breaking) {
    if (change.usedBy.length === 0) lines.push(`  ✓ ${change.path ?? change.message}: no operation used it in the usage window`);
    for (const usage of change.usedBy) lines.push(`  ✗ ${change.path ?? change.message}: used by ${usage.clientId} in ${usage.operationName} (${usage.count}x, last ${usage.lastSeen})`);
  }
  for (const takeover of report.takeovers) {
    lines.push(`  ${takeover.approved ? '✓' : '✗'} takes over ${takeover.field} from ${takeover.owners.join(', ')} (${takeover.how})${takeover.approved ? ', approved' : ': needs the owning team’s approval'}`);
  }
  lines.push(report.ok ? '✓ check passed' : `✗ check failed: ${report.failures.join(', ')}`);
  return lines.join('\n');
}

/** Versions as a table, newest first. */
export function formatHistory(versions: VersionSummary[]): string {
  if (versions.length === 0) return 'no versions yet';
  return versions
    .map((version) => {
      const what = version.action === 'rollback' ? `rollback to ${version.rollbackOf}` : version.action === 'publish' ? `publish ${version.subgraph}` : version.action;
      return `${String(version.version).padStart(5)}  ${version.createdAt}  ${version.supergraphHash}  ${version.client.padEnd(16)}  ${what} (${version.changes.length} change(s))`;
    })
    .join('\n');
}
