#!/usr/bin/env node
// The `deputy` command: the compiled router (`npm run build` writes dist/; the published
// package ships it). From a clone before building, it says what to run.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/router/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('deputy: the compiled router (dist/router/cli.js) is missing; run `npm run build` first');
  process.exit(1);
}
await import(cli.href);
