import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** One subgraph of a rover supergraph config, with its SDL file resolved to an absolute path. */
export interface RoverSubgraph {
  name: string;
  routingUrl: string;
  schemaFile: string;
}

/** A rover.yaml (rover's supergraph config format) as Deputy uses it. */
export interface RoverConfig {
  federationVersion: string;
  subgraphs: RoverSubgraph[];
}

/** Thrown for a rover.yaml that is not in the expected shape; the message names the key path. */
export class RoverConfigError extends Error {
  readonly code = 'INVALID_ROVER_CONFIG';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, path: string, file: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new RoverConfigError(`${file}: ${path} must be a non-empty string`);
  }
  return value;
}

/** Reads rover.yaml: `federation_version`, `subgraphs.<name>.routing_url` and `.schema.file`. */
export function readRoverConfig(file: string): RoverConfig {
  const raw: unknown = parseYaml(readFileSync(file, 'utf8'));
  if (!isRecord(raw)) throw new RoverConfigError(`${file}: expected a mapping at the top level`);
  if (!isRecord(raw.subgraphs)) throw new RoverConfigError(`${file}: subgraphs must be a mapping`);
  const base = dirname(resolve(file));
  const subgraphs = Object.entries(raw.subgraphs).map(([name, entry]): RoverSubgraph => {
    const path = `subgraphs.${name}`;
    if (!isRecord(entry)) throw new RoverConfigError(`${file}: ${path} must be a mapping`);
    if (!isRecord(entry.schema)) throw new RoverConfigError(`${file}: ${path}.schema must be a mapping`);
    // rover also accepts subgraph_url / graphref sources; Deputy composes from files only.
    const schemaFile = requireString(entry.schema.file, `${path}.schema.file`, file);
    return {
      name,
      routingUrl: requireString(entry.routing_url, `${path}.routing_url`, file),
      schemaFile: resolve(base, schemaFile),
    };
  });
  const version = raw.federation_version === undefined ? '=2.3.2' : String(raw.federation_version);
  return { federationVersion: version, subgraphs };
}
