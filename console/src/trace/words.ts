import type { AuthorizationDecision, DelegationTrace, FetchTrace, FieldTrace } from '../../../router/publishedTypes.js';
import { fieldDecisions } from './fieldDecisions.js';

// Two words for what authorization did to the data, the same in every view (field tree,
// details, waterfall, call graph, errors, legend; README.md "Web console"):
// - denied: refused, with an error: a subgraph rule's FORBIDDEN, or the router's policy
//   refusing the subgraph token (DELEGATION_DENIED);
// - withheld: left out by a subgraph rule without an error (a list without the item, or null).
// No other word (hidden, filtered, refused, forbidden) stands for either in the console.

/** What authorization did to a field or some of its items. */
export type Mark = 'denied' | 'withheld';

/** Both marks, in the order the views show them. */
export const MARKS: readonly Mark[] = ['denied', 'withheld'];

/** What each word means, for legends and tooltips. */
export const MEANING: Record<Mark, string> = {
  denied: 'not served, with an error: a subgraph rule said no (FORBIDDEN) or the router got no token for it (DELEGATION_DENIED)',
  withheld: 'left out by a subgraph rule without an error (a list without the item, or null)',
};

/** The error codes that say a field was denied. */
const DENIAL_CODES = new Set(['FORBIDDEN', 'DELEGATION_DENIED']);

const DECISION_WORD = { allow: 'allowed', deny: 'denied', withhold: 'withheld' } as const;

/** A subgraph's decision in the console's words: allow → allowed, deny → denied, withhold → withheld. */
export function decisionWord(decision: AuthorizationDecision['decision']): 'allowed' | Mark {
  return DECISION_WORD[decision];
}

/** How many items or fields these decisions denied and withheld. */
export function markCounts(decisions: AuthorizationDecision[]): Record<Mark, number> {
  const counts: Record<Mark, number> = { denied: 0, withheld: 0 };
  for (const decision of decisions) {
    const word = decisionWord(decision.decision);
    if (word !== 'allowed') counts[word] += decision.count;
  }
  return counts;
}

/** Counts as words, e.g. `8 denied · 3 withheld`; empty when nothing was. */
export function countsText(counts: Record<Mark, number>): string {
  return MARKS.filter((mark) => counts[mark] > 0)
    .map((mark) => `${counts[mark]} ${mark}`)
    .join(' · ');
}

/** The fetches of a field that the router's policy refused a token (outcome `denied`). */
export function deniedFetches(field: FieldTrace, trace: DelegationTrace): FetchTrace[] {
  return trace.fetches.filter((fetch) => fetch.outcome === 'denied' && field.fetches.includes(fetch.id));
}

/**
 * How a field is marked: `denied` when it was refused (a subgraph's denial or deny decision,
 * or the router refusing its fetch a token), `withheld` when a subgraph rule left some of its
 * items out without an error; both can hold.
 */
export function fieldMarks(path: string, field: FieldTrace, trace: DelegationTrace): Mark[] {
  const counts = markCounts(fieldDecisions(path, field, trace));
  if (field.denied || deniedFetches(field, trace).length) counts.denied = Math.max(counts.denied, 1);
  return MARKS.filter((mark) => counts[mark] > 0);
}

/** Whether an error with this code reports a denied field. */
export function isDenial(code: string | undefined): boolean {
  return code !== undefined && DENIAL_CODES.has(code);
}
