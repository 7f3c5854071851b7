import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { GraphQLError, Source, getLocation, parse, type DocumentNode } from 'graphql';
import { composeServices } from '@apollo/composition';
import type { RoverSubgraph } from './readRoverConfig.js';

/** One composition problem, located where possible. */
export interface CompositionProblem {
  /** The subgraph the problem is in, when it can be told. */
  subgraph?: string;
  code: string;
  message: string;
  /** file:line:column of the first node involved, when known. */
  location?: string;
}

export type CompositionOutcome =
  | { ok: true; supergraphSdl: string; hints: string[] }
  | { ok: false; problems: CompositionProblem[] };

/** An SDL to compose: a subgraph's name, routing URL, SDL text and where that text came from. */
export interface SubgraphSource {
  name: string;
  routingUrl: string;
  sdl: string;
  sourceName: string;
}

/** Reads each subgraph's SDL file as listed in rover.yaml. */
export function readSubgraphSources(subgraphs: RoverSubgraph[]): SubgraphSource[] {
  return subgraphs.map((subgraph) => ({
    name: subgraph.name,
    routingUrl: subgraph.routingUrl,
    sdl: readFileSync(subgraph.schemaFile, 'utf8'),
    sourceName: relative(process.cwd(), subgraph.schemaFile),
  }));
}

function locate(error: GraphQLError): string | undefined {
  if (error.source && error.locations?.[0]) {
    const { line, column } = error.locations[0];
    return `${error.source.name}:${line}:${column}`;
  }
  const loc = error.nodes?.find((node) => node.loc)?.loc;
  if (!loc) return undefined;
  const { line, column } = getLocation(loc.source, loc.start);
  return `${loc.source.name}:${line}:${column}`;
}

function subgraphOf(error: GraphQLError, sources: SubgraphSource[]): string | undefined {
  const sourceName = (error.source ?? error.nodes?.find((node) => node.loc)?.loc?.source)?.name;
  const bySource = sources.find((source) => source.sourceName === sourceName)?.name;
  // Composition messages name subgraphs as [name]; fall back to that when no node is attached.
  return bySource ?? sources.find((source) => error.message.includes(`[${source.name}]`))?.name;
}

function problemOf(error: GraphQLError, sources: SubgraphSource[], subgraph?: string): CompositionProblem {
  return {
    subgraph: subgraph ?? subgraphOf(error, sources),
    code: String(error.extensions?.code ?? 'COMPOSITION_ERROR'),
    message: error.message,
    location: locate(error),
  };
}

/** Composes subgraph SDLs into a supergraph with @apollo/composition, locating every problem. */
export function composeSupergraph(sources: SubgraphSource[]): CompositionOutcome {
  const documents: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  const problems: CompositionProblem[] = [];
  for (const source of sources) {
    try {
      documents.push({ name: source.name, url: source.routingUrl, typeDefs: parse(new Source(source.sdl, source.sourceName)) });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      problems.push({ ...problemOf(error, sources, source.name), code: 'INVALID_GRAPHQL' });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const result = composeServices(documents);
  if (result.errors) return { ok: false, problems: result.errors.map((error) => problemOf(error, sources)) };
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: result.hints.map((hint) => hint.toString()) };
}

/** Formats problems one per line for a terminal or a CI log. */
export function formatProblems(problems: CompositionProblem[]): string {
  return problems
    .map((problem) => {
      const where = problem.location ? ` (${problem.location})` : '';
      return `error[${problem.code}] subgraph ${problem.subgraph ?? '(supergraph)'}${where}: ${problem.message}`;
    })
    .join('\n');
}
