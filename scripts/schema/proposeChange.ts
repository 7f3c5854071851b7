import { readFileSync } from 'node:fs';
import { readRoverConfig } from '../../registry/compose/readRoverConfig.js';
import { readSubgraphSources, formatProblems } from '../../registry/compose/composeSupergraph.js';
import { checkSchemaChange, type SchemaCheck } from '../../registry/checks/checkSchemaChange.js';

export interface ProposeOptions {
  subgraph: string;
  file: string;
  /** rover.yaml listing the other subgraphs. */
  config: string;
  /** The supergraph clients use today, to find breaking changes against. */
  against: string;
}

/** Composes the proposed SDL with the others from rover.yaml and diffs it with the current supergraph. */
export async function proposeChange(options: ProposeOptions): Promise<SchemaCheck> {
  const sources = readSubgraphSources(readRoverConfig(options.config).subgraphs);
  const existing = sources.find((source) => source.name === options.subgraph);
  if (!existing) throw new Error(`${options.config} has no subgraph named ${options.subgraph} (known: ${sources.map((s) => s.name).join(', ')})`);
  const proposed = { ...existing, sdl: readFileSync(options.file, 'utf8'), sourceName: options.file };
  return checkSchemaChange(readFileSync(options.against, 'utf8'), sources, proposed);
}

/** The check as lines for a CI log. */
export function formatCheck(subgraph: string, check: SchemaCheck): string {
  if (!check.composes) return [`✗ ${subgraph}: does not compose (${check.problems.length} error(s))`, formatProblems(check.problems)].join('\n');
  const lines = [`✓ ${subgraph}: composes`];
  if (check.changes.length === 0) lines.push('  no change for clients');
  for (const change of check.changes) lines.push(`  ${change.level.toUpperCase().padEnd(9)} ${change.type}${change.path ? ` ${change.path}` : ''}: ${change.message}`);
  if (check.breaking.length > 0) lines.push(`✗ ${check.breaking.length} breaking change(s)`);
  return lines.join('\n');
}
