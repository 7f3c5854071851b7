import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';

/** Errors the router catches on purpose and carries on after, by what failed. */
export type SwallowedKind =
  | 'redis'
  | 'token_store'
  | 'audit_sink'
  | 'audit_fallback_file'
  | 'audit_retention'
  | 'supergraph_share'
  | 'shared_supergraph_invalid'
  | 'supergraph_announcement'
  | 'supergraph_watch'
  | 'registry'
  | 'registry_version_invalid'
  | 'usage_flush'
  | 'token_prefetch'
  | 'revocation_share'
  | 'cleanup';

/** Where the router reports an error it catches on purpose, and that the failing thing works again. */
export interface SwallowedErrors {
  failed(kind: SwallowedKind, error: unknown): void;
  recovered(kind: SwallowedKind): void;
}

/** What may be logged of an error: its name, code and message (never a stack, which can hold request data). */
export function describeError(error: unknown): { name?: string; code?: unknown; message: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  return { name: error.name, code: (error as { code?: unknown }).code, message: error.message };
}

/**
 * Every such error is counted (`deputy_swallowed_errors_total{kind}`), but logged only on the
 * transition: the first failure of a kind is one warning, later ones are counted silently until
 * that kind recovers (one info line saying how many were not logged); then the next failure
 * logs again. A Redis outage is two lines, not one per command.
 */
export function createSwallowedErrors(logger: Logger, registry?: Registry): SwallowedErrors {
  const counter = new Counter({
    name: 'deputy_swallowed_errors_total',
    help: 'Errors the router caught on purpose and carried on after (audit sink, Redis, token prefetch...), by kind',
    labelNames: ['kind'],
    registers: registry ? [registry] : [],
  });
  const failing = new Map<SwallowedKind, number>();
  return {
    failed(kind, error) {
      counter.inc({ kind });
      const unlogged = failing.get(kind);
      if (unlogged !== undefined) {
        failing.set(kind, unlogged + 1);
        return;
      }
      failing.set(kind, 0);
      logger.warn({ kind, error: describeError(error) }, `${kind} is failing; the router carries on (further ${kind} failures are counted, not logged, until it recovers)`);
    },
    recovered(kind) {
      const unlogged = failing.get(kind);
      if (unlogged === undefined) return;
      failing.delete(kind);
      logger.info({ kind, unlogged }, `${kind} works again`);
    },
  };
}
