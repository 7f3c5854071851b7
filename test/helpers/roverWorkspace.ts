import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUBGRAPH_NAMES } from '../../subgraphs/subgraphNames.js';

/** A temp copy of rover.yaml and the four SDLs, some replaced; returns the rover.yaml path. */
export function roverWorkspace(replace: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'deputy-rover-'));
  for (const name of SUBGRAPH_NAMES) copyFileSync(`schema/${name}.graphql`, join(dir, `${name}.graphql`));
  for (const [name, sdl] of Object.entries(replace)) writeFileSync(join(dir, `${name}.graphql`), sdl);
  writeFileSync(join(dir, 'rover.yaml'), readFileSync('rover.yaml', 'utf8').replaceAll('./schema/', './'));
  return join(dir, 'rover.yaml');
}

/** The inventory SDL the subgraph serves. */
export const FULL_INVENTORY = readFileSync('schema/inventory.graphql', 'utf8');

/**
 * Inventory without shippingEstimate (and the @external fields only it required): a supergraph
 * composed from it lacks a field the running subgraph serves, so adding it back is compatible.
 */
export const REDUCED_INVENTORY = FULL_INVENTORY.replace('  shippingEstimate: Int @requires(fields: "price weight")\n', '')
  .replace('  weight: Int @external\n', '')
  .replace('  price: Int @external\n', '');
