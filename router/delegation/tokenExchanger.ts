import DataLoader from 'dataloader';
import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { Caller } from '../edge/authenticateCaller.js';
import { MemoryTokenStore, type TokenStore } from './tokenStore.js';
import type { TokenResult } from '../observability/metrics.js';
import type { OpenSpan } from '../observability/tracedSpan.js';
import { describeIssuedToken, type IssuedToken } from './issuedToken.js';
import { exchangeToken, type ExchangeClient, type ExchangeResult } from './exchangeToken.js';
import { delegationDenied, delegationUnavailable } from './delegationRefusals.js';
import { isRefusal } from '../../lib/errors/RefusalError.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';
import { checkDelegationPolicy, type SubgraphDelegation } from './checkDelegationPolicy.js';
import { identifiersOf, revokes } from '../../lib/securityEvents/revocation.js';
import type { RevocationList } from '../../lib/securityEvents/revocationList.js';

/** Where a subgraph token came from (reported in traces and metrics). */
export type TokenSource = 'cache' | 'coalesced' | 'exchange';

/** A token for one subgraph fetch. */
export interface SubgraphToken extends IssuedToken {
  audience: string;
  source: TokenSource;
  /** Time spent waiting for the token in this call, ms. */
  waitMs: number;
  /** The cache key (a hash), so a 401 from the subgraph can evict this entry. */
  key: string;
}

/** What the exchanger reports as it works (metrics and audit hang here). */
export interface ExchangeObserver {
  tokenRequested?(result: TokenResult): void;
  exchanged?(report: ExchangeReport): void;
  circuitChanged?(state: 'closed' | 'open' | 'half-open'): void;
}

/** One exchange at the authorization server, as reported to observers: no token, only its identity. */
export interface ExchangeReport {
  result: 'ok' | 'denied' | 'error';
  reason?: string;
  ms: number;
  subgraph: string;
  audience: string;
  scopesRequested: string[];
  subjectFingerprint: string;
  actor?: string;
  issued?: IssuedToken;
  /** The trace of the request that started the exchange (a request joining it has its own). */
  traceId?: string;
}

export interface TokenExchangerOptions {
  exchange: ExchangeClient;
  cache: { maxEntries: number; skewSeconds: number };
  /** Where tokens are cached; default in memory. */
  store?: TokenStore;
  observer?: ExchangeObserver;
  circuitBreaker: { consecutiveFailures: number; halfOpenAfterMs: number };
  /** The exchange call; replaced only in unit tests. */
  exchangeFn?: typeof exchangeToken;
  /** Which scopes exchanges ask for (checkDelegationPolicy); default held. */
  requestScopes?: 'held' | 'configured';
  /** The issuer's revocations: no token is handed out for a revoked subject token, and cached ones are evicted. */
  revocations?: Pick<RevocationList, 'isRevoked' | 'onRevoke'>;
}

/** Whose token is exchanged: the caller's (or, for the broker, the token a service holds); `sub` and `claims` say whether it was revoked. */
export type Subject = Pick<Caller, 'token' | 'fingerprint' | 'exp' | 'scopes' | 'clientId' | 'sub' | 'claims'>;

/** The service the router acts for when brokering (its own client-credentials token). */
export interface Actor {
  clientId: string;
  token: string;
}

interface PendingExchange {
  key: string;
  caller: Subject;
  actor?: Actor;
  subgraph: string;
  audience: string;
  scopes: string[];
  entraScope?: string;
  /** The span a token request to the authorization server opens under (the first asker's). */
  span?: OpenSpan;
  /** The first asker's trace id, for the exchange's audit event. */
  traceId?: string;
}

/**
 * Obtains subgraph tokens on behalf of a caller: from the cache, by joining an exchange in
 * flight for the same (subject, audience, scopes), or by a new RFC 8693 exchange behind a
 * circuit breaker. One instance per router; state is in memory.
 */
export class TokenExchanger {
  private readonly cache: TokenStore;
  private readonly observer: ExchangeObserver;
  private readonly inFlight = new Map<string, Promise<IssuedToken>>();
  private readonly loader: DataLoader<PendingExchange, IssuedToken, string>;
  private readonly breaker: CircuitBreakerPolicy;
  /** Exchanges started (not cache hits, not joins); for tests and metrics. */
  exchanges = 0;

  constructor(private readonly options: TokenExchangerOptions) {
    this.cache = options.store ?? new MemoryTokenStore(options.cache.maxEntries);
    this.observer = options.observer ?? {};
    this.breaker = circuitBreaker(handleWhen((error) => isRefusal(error, ErrorCode.DELEGATION_UNAVAILABLE)), {
      halfOpenAfter: options.circuitBreaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.circuitBreaker.consecutiveFailures),
    });
    this.breaker.onBreak(() => this.observer.circuitChanged?.('open'));
    this.breaker.onHalfOpen(() => this.observer.circuitChanged?.('half-open'));
    this.breaker.onReset(() => this.observer.circuitChanged?.('closed'));
    // A revoked subject's cached tokens go at once (they could not be handed out anyway: tokenFor checks).
    options.revocations?.onRevoke((revocation) => this.cache.deleteWhere((entry) => entry.subject !== undefined && revokes(revocation, entry.subject)));
    // DataLoader's per-key promise memo is the in-flight table: concurrent loads of one key
    // share one exchange; the key is cleared as soon as that exchange settles.
    this.loader = new DataLoader((pending) => Promise.all(pending.map((item) => this.exchange(item).catch((error: Error) => error))), {
      cacheKeyFn: (item) => item.key,
      cacheMap: this.inFlight,
    });
  }

  /** A token for `subgraph` acting for `caller`, traced under `on.span` and audited under `on.traceId`; throws a DELEGATION_DENIED or DELEGATION_UNAVAILABLE refusal. */
  async tokenFor(caller: Subject, subgraph: string, delegation: SubgraphDelegation, actor?: Actor, on: { span?: OpenSpan; traceId?: string } = {}): Promise<SubgraphToken> {
    const started = performance.now();
    let scopes: string[];
    try {
      // Before the cache, in memory or shared: a cached token of a revoked subject is never used.
      this.refuseRevoked(caller, subgraph);
      scopes = checkDelegationPolicy(caller, subgraph, delegation, this.options.requestScopes);
    } catch (error) {
      this.observer.tokenRequested?.('denied');
      throw error;
    }
    const key = `${caller.fingerprint}\n${delegation.audience}\n${scopes.join(' ')}\n${actor?.clientId ?? ''}`;
    const base = { audience: delegation.audience, key };
    const cached = await this.cache.get(key);
    if (cached) {
      // Revoked while a shared cache answered: still never handed out.
      const revoked = this.isRevoked(caller);
      this.observer.tokenRequested?.(revoked ? 'denied' : 'cache_hit');
      if (revoked) throw revokedSubject(subgraph);
      return { ...base, ...cached, source: 'cache', waitMs: performance.now() - started };
    }
    const source: TokenSource = this.inFlight.has(key) ? 'coalesced' : 'exchange';
    const pending = { key, caller, actor, subgraph, audience: delegation.audience, scopes, entraScope: delegation.entraScope, span: on.span, traceId: on.traceId };
    let issued: IssuedToken;
    try {
      issued = await this.loader.load(pending);
      // Revoked while the exchange was on its way: the token it brought is not handed out.
      this.refuseRevoked(caller, subgraph);
      this.observer.tokenRequested?.(source === 'coalesced' ? 'coalesced' : 'exchanged');
    } catch (error) {
      this.observer.tokenRequested?.(isRefusal(error, ErrorCode.DELEGATION_DENIED) ? 'denied' : 'error');
      throw error;
    } finally {
      // Settled: later calls go to the cache (success) or try again (failure).
      this.loader.clear(pending);
    }
    return { ...base, ...issued, source, waitMs: performance.now() - started };
  }

  /** Whether the issuer revoked this subject token (the broker asks it of the token a service holds). */
  isRevoked(subject: Pick<Subject, 'sub' | 'claims'>): boolean {
    return this.options.revocations?.isRevoked(subject) ?? false;
  }

  /** Forgets a cached token (the subgraph refused it). */
  async evict(key: string): Promise<void> {
    await this.cache.delete(key);
  }

  get cacheSize(): number {
    return this.cache.size();
  }

  private async exchange(pending: PendingExchange): Promise<IssuedToken> {
    this.exchanges += 1;
    const started = performance.now();
    const report = (result: ExchangeReport['result'], extra: Partial<ExchangeReport> = {}) =>
      this.observer.exchanged?.({
        result,
        ms: performance.now() - started,
        subgraph: pending.subgraph,
        audience: pending.audience,
        scopesRequested: pending.scopes,
        subjectFingerprint: pending.caller.fingerprint.slice(0, 12),
        actor: pending.actor?.clientId,
        traceId: pending.traceId,
        ...extra,
      });
    try {
      const issued = await this.exchangeAndCache(pending);
      report('ok', { issued });
      return issued;
    } catch (error) {
      const reason = (error as { reason?: string }).reason;
      report(isRefusal(error, ErrorCode.DELEGATION_DENIED) ? 'denied' : 'error', { reason });
      throw error;
    }
  }

  private async exchangeAndCache(pending: PendingExchange): Promise<IssuedToken> {
    let result: ExchangeResult;
    try {
      result = await this.breaker.execute(() =>
        (this.options.exchangeFn ?? exchangeToken)(this.options.exchange, {
          subgraph: pending.subgraph,
          subjectToken: pending.caller.token,
          actorToken: pending.actor?.token,
          audience: pending.audience,
          scopes: pending.scopes,
          entraScope: pending.entraScope,
          span: pending.span,
        }),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw delegationUnavailable(pending.subgraph, 'circuit_open');
      throw error;
    }
    // Scopes only narrow: an authorization server that grants more than asked is not trusted.
    // (Entra names granted scopes in full, `<application ID URI>/<scope>`; compared by their last part.)
    const granted = result.scopes.map((scope) => grantedScopeName(scope, pending.audience));
    if (granted.some((scope) => !pending.scopes.includes(scope))) {
      throw delegationDenied(pending.subgraph, 'scope_widened', 'the authorization server granted scopes that were not requested');
    }
    const now = Date.now();
    const tokenExpiry = now + (result.expiresIn - this.options.cache.skewSeconds) * 1000;
    // Never cache past the subject token's own exp.
    const expiresAt = Math.min(tokenExpiry, pending.caller.exp * 1000);
    const knownChain = [pending.actor?.clientId, this.options.exchange.clientId].filter((party): party is string => party !== undefined);
    const issued = describeIssuedToken(result, knownChain, now);
    // Cached with who it was issued for, so that a revocation can find it; never once revoked.
    const { sub, sid, iat } = identifiersOf(pending.caller);
    if (!this.isRevoked(pending.caller)) await this.cache.set(pending.key, { ...issued, expiresAt, subject: { sub, claims: { sub, sid, iat } } });
    return issued;
  }

  /** Refuses a revoked subject token (revokedSubject). */
  private refuseRevoked(caller: Subject, subgraph: string): void {
    if (this.isRevoked(caller)) throw revokedSubject(subgraph);
  }
}

/** The refusal of a subject token its issuer revoked: DELEGATION_DENIED, reason token_revoked. */
function revokedSubject(subgraph: string) {
  return delegationDenied(subgraph, 'token_revoked', 'the subject token was revoked by its issuer');
}

/** A granted scope as the router asked for it: Entra's `api://reviews/reviews:read` is `reviews:read` for audience `api://reviews`. */
function grantedScopeName(scope: string, audience: string): string {
  const prefix = `${audience.replace(/\/$/, '')}/`;
  return scope.startsWith(prefix) ? scope.slice(prefix.length) : scope;
}
