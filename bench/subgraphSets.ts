import { spawnReady, type Ready } from './spawnReady.js';

export type AuthMode = 'off' | 'router' | 'own';

/** The three subgraph sets (same code and data, different token checks), each in its own process. */
export interface SubgraphSets {
  urls(mode: AuthMode): Record<string, string>;
  /** Subgraph HTTP requests served so far by one set. */
  served(mode: AuthMode): Promise<number>;
  pid(mode: AuthMode): number;
  stop(): Promise<void>;
}

export async function startSubgraphSets(node: string, issuer: string): Promise<SubgraphSets> {
  const modes: AuthMode[] = ['off', 'router', 'own'];
  const started = new Map<AuthMode, { ready: Ready; urls: Record<string, string>; control: string }>();
  for (const mode of modes) {
    const ready = await spawnReady(node, ['--import', 'tsx', 'bench/processes/subgraphSet.ts'], { BENCH_AUTH: mode, DEPUTY_ISSUER: issuer }, /^\{"urls"/);
    const parsed = JSON.parse(ready.line) as { urls: Record<string, string>; control: string };
    started.set(mode, { ready, ...parsed });
  }
  const get = (mode: AuthMode) => started.get(mode)!;
  return {
    urls: (mode) => get(mode).urls,
    served: async (mode) => Number(await (await fetch(get(mode).control)).text()),
    pid: (mode) => get(mode).ready.child.pid!,
    stop: async () => {
      await Promise.all([...started.values()].map((set) => set.ready.stop()));
    },
  };
}
