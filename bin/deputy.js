#!/usr/bin/env node
// The `deputy` command: the router, run from its TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../router/cli.ts');
