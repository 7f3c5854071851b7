import type Provider from 'oidc-provider';
import type { Grant } from 'oidc-provider';
import { recordScopes } from './firstPartyGrant.js';

/** What a submitted scope choice form asks for, checked against what the page offered. */
export type ScopeChoice =
  | { decision: 'cancel' }
  | { decision: 'allow'; scopes: string[] }
  | { decision: 'refused'; reason: string; checked: Set<string> };

/**
 * Reads the scope choice form (`decision=allow|cancel`, one `scope` per ticked box). Allow must
 * name at least one scope and only scopes the page offered: a scope the user was not offered
 * (not requested, or not theirs to delegate) is refused, never dropped, so a forged form fails.
 */
export function readScopeChoice(form: URLSearchParams, offered: string[]): ScopeChoice {
  const decision = form.get('decision');
  if (decision === 'cancel') return { decision: 'cancel' };
  const scopes = [...new Set(form.getAll('scope'))];
  const checked = new Set(scopes.filter((scope) => offered.includes(scope)));
  if (decision !== 'allow') return { decision: 'refused', reason: 'Choose Allow or Cancel.', checked };
  const foreign = scopes.filter((scope) => !offered.includes(scope));
  if (foreign.length) return { decision: 'refused', reason: `The form named scopes that were not offered: ${foreign.join(' ')}. Nothing was granted.`, checked };
  if (!scopes.length) return { decision: 'refused', reason: 'Tick at least one scope to sign in, or Cancel.', checked };
  return { decision: 'allow', scopes: offered.filter((scope) => checked.has(scope)) };
}

/** Who chose, for which client and request, among what. */
export interface ChosenScopes {
  accountId: string;
  clientId: string;
  /** The interaction's grant: the session's for this client, when it has one. */
  grantId?: string;
  resource: unknown;
  oidc: string[];
  offered: string[];
  unavailable: string[];
  /** The ticked ones, all offered. */
  scopes: string[];
}

/**
 * Writes the choice into the session's grant for the client (a new one if it has none): its
 * earlier scopes, granted or refused, are dropped, then exactly the chosen ones are granted and
 * the rest of what was asked refused. Returns the grant's id, for `consent: { grantId }`.
 */
export async function grantChosenScopes(provider: Provider, choice: ChosenScopes): Promise<string> {
  const { accountId, clientId } = choice;
  const existing = choice.grantId ? await provider.Grant.find(choice.grantId) : undefined;
  const grant: Grant = existing?.accountId === accountId && existing.clientId === clientId ? existing : new provider.Grant({ accountId, clientId });
  grant.openid = undefined;
  grant.resources = undefined;
  grant.rejected = undefined;
  const refused = [...choice.offered.filter((scope) => !choice.scopes.includes(scope)), ...choice.unavailable];
  recordScopes(grant, choice.resource, choice.oidc, choice.scopes, refused);
  return grant.save();
}
