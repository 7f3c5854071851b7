import { escapeHtml } from './escapeHtml.js';
import { pageShell } from './pageShell.js';
import { SCOPE_DESCRIPTIONS } from './scopeDescriptions.js';
import { own } from '../../lib/own.js';

/** What the scope choice page offers: to whom, for which client, in which interaction. */
export interface ScopeOffer {
  uid: string;
  clientId: string;
  user: string;
  /** Requested scopes the user is entitled to: one checkbox each. */
  offered: string[];
  /** Requested scopes the user may not delegate: named, never offered. */
  unavailable: string[];
  /** The boxes ticked (after a refused submission, what was submitted); all offered by default. */
  checked?: Set<string>;
}

function option(scope: string, checked: boolean): string {
  const description = own(SCOPE_DESCRIPTIONS, scope);
  return `<label class="scope"><input type="checkbox" name="scope" value="${escapeHtml(scope)}"${checked ? ' checked' : ''} data-testid="scope-option">
<span><code>${escapeHtml(scope)}</code>${description ? `<br><small>${escapeHtml(description)}</small>` : ''}</span></label>`;
}

/**
 * The scope choice (`prompt=consent`): each requested scope the user is entitled to as a
 * checkbox, the ones they are not named as not available; Allow grants the ticked ones, Cancel
 * none (the client gets access_denied). The form posts to its own interaction only.
 */
export function consentPage(offer: ScopeOffer, error?: string): string {
  const { uid, clientId, user, offered, unavailable, checked = new Set(offered) } = offer;
  const codes = (scopes: string[]) => scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(', ');
  const choice = offered.length
    ? `<fieldset><legend>Scopes to grant</legend>\n${offered.map((scope) => option(scope, checked.has(scope))).join('\n')}\n</fieldset>
<button type="submit" name="decision" value="allow" data-testid="scope-allow">Allow the ticked scopes</button>`
    : '<p data-testid="scopes-none">None of the scopes asked for is available to you.</p>';
  return pageShell({
    title: 'Choose scopes',
    intro: `<p>Signed in as <strong>${escapeHtml(user)}</strong>. <strong>${escapeHtml(clientId)}</strong> asks to act for you with the scopes below; untick any you do not want it to have.</p>`,
    error,
    form: `<form method="post" action="/interaction/${escapeHtml(uid)}/consent" data-testid="scope-form">
${choice}
${unavailable.length ? `<p data-testid="scopes-unavailable">Not available to you (you may not delegate them): ${codes(unavailable)}</p>` : ''}
<button type="submit" name="decision" value="cancel" data-testid="scope-cancel">Cancel</button>
</form>`,
  });
}
