/** How one benchmark configuration runs: which gateway, which subgraph set, which callers. */
export interface BenchConfig {
  id: string;
  label: string;
  /** The subgraph set it calls: no auth, the router token accepted, or each its own audience. */
  subgraphs: 'off' | 'router' | 'own';
  /** The gateway process: a plain @apollo/gateway baseline, or Deputy itself. */
  gateway: { kind: 'plain'; mode: 'floor' | 'forwarding' | 'naive' } | { kind: 'deputy'; audit?: 'postgres'; dedupe?: boolean } | { kind: 'hive'; dedupe: boolean };
  /** No token, one user's token on every request, or a fresh token (user) on every request. */
  callers: 'none' | 'one' | 'each';
  headers?: Record<string, string>;
}

/** The configurations, in the order they are interleaved in each round. */
export const CONFIGURATIONS: BenchConfig[] = [
  { id: 'floor', label: '1 floor: plain gateway, no auth', subgraphs: 'off', gateway: { kind: 'plain', mode: 'floor' }, callers: 'none' },
  { id: 'forwarding', label: '2 forwarding the user token', subgraphs: 'router', gateway: { kind: 'plain', mode: 'forwarding' }, callers: 'one' },
  { id: 'naive', label: '3 naive exchange per fetch', subgraphs: 'own', gateway: { kind: 'plain', mode: 'naive' }, callers: 'one' },
  { id: 'deputy-warm', label: '4 Deputy, one user, warm', subgraphs: 'own', gateway: { kind: 'deputy' }, callers: 'one' },
  { id: 'deputy-warm-nodedup', label: '4b Deputy, one user, warm, no fetch dedup', subgraphs: 'own', gateway: { kind: 'deputy', dedupe: false }, callers: 'one' },
  { id: 'deputy-cold', label: '5 Deputy, a new user per request', subgraphs: 'own', gateway: { kind: 'deputy' }, callers: 'each' },
  { id: 'deputy-trace', label: '6 Deputy, trace on', subgraphs: 'own', gateway: { kind: 'deputy' }, callers: 'one', headers: { 'x-delegation-trace': '1' } },
  { id: 'deputy-audit-pg', label: '6b Deputy, audit in PostgreSQL', subgraphs: 'own', gateway: { kind: 'deputy', audit: 'postgres' }, callers: 'one' },
  { id: 'peer', label: '7 peer: Hive Gateway, no auth, no dedup', subgraphs: 'off', gateway: { kind: 'hive', dedupe: false }, callers: 'none' },
  { id: 'peer-dedup', label: '7b peer: Hive Gateway defaults (upstream dedup)', subgraphs: 'off', gateway: { kind: 'hive', dedupe: true }, callers: 'none' },
];
