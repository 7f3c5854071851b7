/** `<subgraph> <file> [flags]` (the npm scripts' form) as `subgraph <verb> --name <subgraph> --schema <file> [flags]`. */
export function positionalRegistryArgs(verb: 'check' | 'publish', args: string[]): string[] {
  const flags: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) positionals.push(arg);
    else if (['--json', '--allow-breaking', '--help'].includes(arg) || arg.includes('=')) flags.push(arg);
    else flags.push(arg, args[++i] ?? '');
  }
  const [subgraph, file] = positionals;
  return ['subgraph', verb, ...(subgraph ? ['--name', subgraph] : []), ...(file ? ['--schema', file] : []), ...flags];
}
