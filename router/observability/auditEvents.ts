import type { AuditLog } from '../audit/auditLog.js';
import type { RouterContext } from '../routerContext.js';
import type { ExchangeReport } from '../delegation/tokenExchanger.js';
import { isRefusal } from '../../lib/errors/RefusalError.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * The audit event of one delegation decision: this request's token for one subgraph,
 * granted (where it came from) or refused (why). Answers "what could this user reach, through
 * whom, at that time?"; names tokens only by fingerprint and jti.
 */
export function delegationAudit(audit: AuditLog, context: Pick<RouterContext, 'caller' | 'traceId'>): NonNullable<RouterContext['reportDelegation']> {
  return (subgraph, { token, error, ms }) => {
    const caller = context.caller;
    const refused = isRefusal(error, ErrorCode.DELEGATION_DENIED) || isRefusal(error, ErrorCode.DELEGATION_UNAVAILABLE) ? error : undefined;
    audit.write({
      event: 'delegation',
      traceId: context.traceId,
      subject: caller?.sub,
      client: caller?.clientId,
      subjectFingerprint: caller?.fingerprint.slice(0, 12),
      target: subgraph,
      audience: token?.audience,
      actorChain: token?.actorChain,
      actorChainAssertedBy: token?.actorChainAssertedBy,
      scopesHeld: caller?.scopes,
      scopesGranted: token?.scopes,
      decision: token ? 'granted' : 'refused',
      reason: token ? undefined : (refused?.reason ?? 'internal'),
      code: refused?.code,
      tokenSource: token?.source,
      tokenFingerprint: token?.fingerprint,
      tokenJti: token?.jti,
      latencyMs: round(ms),
    });
  };
}

/** The audit event of one exchange at the authorization server. */
export function exchangeAudit(audit: AuditLog): (report: ExchangeReport) => void {
  return (report) =>
    audit.write({
      event: 'token.exchange',
      traceId: report.traceId,
      subjectFingerprint: report.subjectFingerprint,
      actor: report.actor,
      target: report.subgraph,
      audience: report.audience,
      scopesRequested: report.scopesRequested,
      scopesGranted: report.issued?.scopes,
      actorChain: report.issued?.actorChain,
      actorChainAssertedBy: report.issued?.actorChainAssertedBy,
      result: report.result,
      reason: report.reason,
      tokenFingerprint: report.issued?.fingerprint,
      tokenJti: report.issued?.jti,
      latencyMs: round(report.ms),
    });
}
