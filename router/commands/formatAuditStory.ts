import type { AuditEvent } from '../audit/auditLog.js';

// `deputy audit --trace <id>`: the per-field story of one request, from the events recorded
// under its trace id (router/audit/, README "Audit store"). Events are read as written:
// fields a version of the router did not write are simply left out.

interface Decision {
  field: string;
  decision: string;
  rule: string;
  roles?: string[];
  count: number;
}

const list = (value: unknown) => (Array.isArray(value) && value.length > 0 ? value.join(' ') : 'none');
const text = (value: unknown) => (value === undefined || value === null ? '?' : String(value));

/** The hands a token passed through: the user, then each actor (the `act` chain is outermost first), then the subgraph. */
function hands(subject: unknown, actorChain: unknown, target: string): string {
  const actors = Array.isArray(actorChain) ? [...actorChain].reverse() : [];
  return [text(subject), ...actors, target].join(' → ');
}

function requestLines(event: AuditEvent): string[] {
  const operation = event.operationName ? `${String(event.operationName)} (${text(event.operationType)})` : `anonymous ${text(event.operationType ?? 'operation')}`;
  const codes = event.errorCodes ? ` (${Object.entries(event.errorCodes as Record<string, number>).map(([code, n]) => `${code} ×${n}`).join(', ')})` : '';
  return [
    `request  ${text(event.time)}  ${event.subject ? `${String(event.subject)} via ${text(event.client)}` : 'no authenticated caller'}${event.batchIndex !== undefined ? `  [batch #${String(event.batchIndex)}]` : ''}`,
    `  operation ${operation}${event.documentHash ? `, document ${String(event.documentHash).slice(0, 12)}` : ''}`,
    `  outcome ${text(event.outcome)}, HTTP ${text(event.status)}${event.code ? `, ${String(event.code)}` : ''}${event.reason ? ` (${String(event.reason)})` : ''}, ${text(event.denials)} denials${codes}, ${text(event.durationMs)} ms`,
    `  scopes held: ${list(event.scopesHeld)}`,
    ...(event.tokenJti ? [`  caller's token: jti ${String(event.tokenJti)}, fingerprint ${text(event.subjectFingerprint)}`] : []),
  ];
}

function tokenLine(event: AuditEvent, target: string): string {
  const granted = event.decision === 'granted' || event.decision === 'allowed';
  if (!granted) return `  token    refused: ${text(event.code)} (${text(event.reason)})`;
  const source = event.tokenSource ? ` (${String(event.tokenSource)})` : '';
  return `  token    audience ${text(event.audience)}, scopes ${list(event.scopesGranted)}, through ${hands(event.subject, event.actorChain, target)}${source}; jti ${text(event.tokenJti)}, fingerprint ${text(event.tokenFingerprint)}`;
}

function decisionLines(event: AuditEvent): string[] {
  const decisions = (event.decisions as Decision[] | undefined) ?? [];
  const denied = (event.denied as { path: string; rule: string; count: number }[] | undefined) ?? [];
  return [
    ...decisions.map((d) => `  ${d.decision.padEnd(8)} ${d.field} ×${d.count}  rule: ${d.rule}${d.roles?.length ? `  roles: ${d.roles.join(' ')}` : ''}`),
    ...(event.reported === false ? ['  (reported no decisions; its FORBIDDEN errors say:)'] : []),
    ...denied.map((d) => `  refused  ${d.path} ×${d.count}  rule: ${d.rule}${event.via ? '  (a path in the brokered call)' : ''}`),
  ];
}

/** The story of one trace as text: each request, then each subgraph with the token it got and the decisions it reported. */
export function formatAuditStory(traceId: string, events: AuditEvent[]): string {
  const lines = [`trace ${traceId}`];
  for (const event of events.filter((e) => e.event === 'request')) lines.push('', ...requestLines(event));
  // One section per subgraph reached, directly (delegation) or through the broker (its caller's
  // service): its token, the exchange that made it (if this request made one), its decisions.
  const sections = new Map<string, { token: string[]; exchange: string[]; decisions: string[] }>();
  const section = (target: string, via?: unknown) => {
    const key = via ? `${target} (brokered for ${String(via)})` : target;
    if (!sections.has(key)) sections.set(key, { token: [], exchange: [], decisions: [] });
    return sections.get(key)!;
  };
  for (const event of events) {
    if (event.event === 'delegation') section(text(event.target)).token.push(tokenLine(event, text(event.target)));
    else if (event.event === 'broker.delegate') section(text(event.target), event.caller).token.push(tokenLine(event, text(event.target)));
    else if (event.event === 'token.exchange') section(text(event.target), event.actor).exchange.push(`  exchange ${text(event.result)}${event.reason ? ` (${String(event.reason)})` : ''} at the authorization server, ${text(event.latencyMs)} ms`);
    else if (event.event === 'decisions') section(text(event.subgraph), event.via).decisions.push(...decisionLines(event));
  }
  for (const [name, body] of sections) lines.push('', name, ...body.token, ...body.exchange, ...body.decisions);
  return lines.join('\n');
}
