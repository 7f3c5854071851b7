import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/runScript.js';
import { readRoverConfig } from '../../registry/compose/readRoverConfig.js';
import { roverWorkspace } from '../helpers/roverWorkspace.js';

/** A temp dir holding rover.yaml and the four SDLs, with one SDL replaced. */
function workspaceWith(replace: { name: string; sdl: string }): string {
  return dirname(roverWorkspace({ [replace.name]: replace.sdl }));
}

describe('npm run compose', () => {
  it('writes the supergraph for valid subgraphs', async () => {
    const dir = workspaceWith({ name: 'products', sdl: readFileSync('schema/products.graphql', 'utf8') });
    const out = join(dir, 'supergraph.graphql');
    const result = await runScript('scripts/compose.ts', ['--config', join(dir, 'rover.yaml'), '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('join__graph(name: "products"');
  });

  it('fails on SDL that does not parse, naming the subgraph and the line', async () => {
    const dir = workspaceWith({ name: 'inventory', sdl: 'type Product @key(fields: "upc") {\n  upc: String!\n  inStock Boolean\n}\n' });
    const out = join(dir, 'supergraph.graphql');
    const result = await runScript('scripts/compose.ts', ['--config', join(dir, 'rover.yaml'), '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error\[INVALID_GRAPHQL\] subgraph inventory \(.*inventory\.graphql:3:\d+\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('fails on a composition error, naming the subgraph, the code and the location', async () => {
    // reviews declares Product.name as its own non-shareable field: products owns it too.
    const sdl = readFileSync('schema/reviews.graphql', 'utf8').replace('  upc: String!\n  reviews', '  upc: String!\n  name: Int\n  reviews');
    const dir = workspaceWith({ name: 'reviews', sdl });
    const result = await runScript('scripts/compose.ts', ['--config', join(dir, 'rover.yaml'), '--out', join(dir, 'out.graphql')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error\[[A-Z_]+\] subgraph (reviews|products) \(.*\.graphql:\d+:\d+\): .*Product\.name/);
  });

  it('names the key path of a malformed rover.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-compose-'));
    writeFileSync(join(dir, 'rover.yaml'), 'subgraphs:\n  accounts:\n    routing_url: http://x\n    schema: {}\n');
    expect(() => readRoverConfig(join(dir, 'rover.yaml'))).toThrow(/subgraphs\.accounts\.schema\.file must be a non-empty string/);
    const result = await runScript('scripts/compose.ts', ['--config', join(dir, 'rover.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('subgraphs.accounts.schema.file');
  });
});
