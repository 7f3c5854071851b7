import { describe, expect, it } from 'vitest';
import { countsText, decisionWord, fieldMarks, isDenial, markCounts, MEANING } from '../../../console/src/trace/words.js';
import { callGraphOf } from '../../../console/src/trace/callGraphModel.js';
import { traceToShow } from '../../../console/src/trace/traceToShow.js';
import { decision, fetchOf, fieldOf, hopTo, traceOf } from './traceFixture.js';

// One word for a refused field (denied) and one for data a rule left out without an error
// (withheld), whichever view shows it.

describe("the console's words for what authorization did", () => {
  it('names the decisions allow, deny and withhold as allowed, denied and withheld', () => {
    expect(decisionWord('allow')).toBe('allowed');
    expect(decisionWord('deny')).toBe('denied');
    expect(decisionWord('withhold')).toBe('withheld');
  });

  it('counts denied and withheld items over decisions, and says the counts in those words', () => {
    const counts = markCounts([decision('User.birthday', 'deny', 7), decision('User.birthday', 'allow', 1), decision('User.reviews', 'withhold', 3), decision('Review.body', 'deny', 1)]);
    expect(counts).toEqual({ denied: 8, withheld: 3 });
    expect(countsText(counts)).toBe('8 denied · 3 withheld');
    expect(countsText({ denied: 0, withheld: 2 })).toBe('2 withheld');
    expect(countsText({ denied: 0, withheld: 0 })).toBe('');
  });

  it('marks a field denied when a rule refused it, withheld when a rule left items out, and both when both happened', () => {
    const trace = traceOf(
      [
        fetchOf(0, 'accounts', { authorization: [decision('User.birthday', 'deny', 7), decision('User.birthday', 'allow', 1)] }),
        fetchOf(1, 'reviews', { authorization: [decision('User.reviews', 'withhold', 3), decision('Review.body', 'deny', 1), decision('Review.body', 'withhold', 2)] }),
      ],
      {
        'users.@.birthday': fieldOf('accounts', [0], { denied: { rule: 'the user themself' } }),
        'users.@.reviews': fieldOf('reviews', [1]),
        'users.@.reviews.@.body': fieldOf('reviews', [1]),
        'users.@.username': fieldOf('accounts', [0]),
      },
    );
    const marks = (path: string) => fieldMarks(path, trace.fields[path], trace);
    expect(marks('users.@.birthday')).toEqual(['denied']);
    expect(marks('users.@.reviews')).toEqual(['withheld']);
    expect(marks('users.@.reviews.@.body')).toEqual(['denied', 'withheld']);
    expect(marks('users.@.username')).toEqual([]);
  });

  it('marks the fields of a fetch the router got no token for as denied', () => {
    const trace = traceOf([fetchOf(0, 'inventory', { outcome: 'denied', reason: 'policy' })], { 'topProducts.@.inStock': fieldOf('inventory', [0]) });
    expect(fieldMarks('topProducts.@.inStock', trace.fields['topProducts.@.inStock'], trace)).toEqual(['denied']);
  });

  it('calls the errors of a refused field denials (FORBIDDEN, DELEGATION_DENIED) and no other', () => {
    expect(isDenial('FORBIDDEN')).toBe(true);
    expect(isDenial('DELEGATION_DENIED')).toBe(true);
    for (const code of ['GRAPHQL_VALIDATION_FAILED', 'SUBGRAPH_UNAVAILABLE', 'UNAUTHENTICATED', undefined]) expect(isDenial(code)).toBe(false);
  });

  it('explains each word without the words it replaces', () => {
    expect(MEANING.denied).toMatch(/error/);
    expect(MEANING.withheld).toMatch(/without an error/);
    for (const meaning of Object.values(MEANING)) expect(meaning).not.toMatch(/\b(hidden|filtered|refused|forbidden)\b/);
  });

  it('counts, on each subgraph of the call graph, what it denied and withheld over its fetches, and how a failed call ended', () => {
    const trace = traceOf([
      fetchOf(0, 'accounts', { authorization: [decision('User.birthday', 'deny', 7)], hops: [hopTo('reviews')] }),
      fetchOf(1, 'reviews', { authorization: [decision('User.reviews', 'withhold', 2)] }),
      fetchOf(2, 'reviews', { authorization: [decision('User.reviews', 'withhold', 1), decision('Review.body', 'deny', 1)] }),
      fetchOf(3, 'inventory', { outcome: 'denied', reason: 'policy', token: undefined }),
    ]);
    const { nodes, edges } = callGraphOf(trace);
    const details = (id: string) => nodes.find((node) => node.id === id)?.details;
    expect(details('subgraph:accounts')).toEqual(['aud accounts', 'accounts:read', '7 denied']);
    expect(details('subgraph:reviews')).toEqual(['aud reviews', 'reviews:read', '1 denied · 3 withheld']);
    expect(details('subgraph:inventory')).toEqual(['aud inventory', 'inventory:read', 'fetch denied (policy)']);
    expect(nodes.find((node) => node.id === 'subgraph:inventory')?.state).toBe('denied');
    expect(edges).toContainEqual({ from: 'subgraph:accounts', to: 'hop:accounts:reviews', label: 'via broker' });
    expect(edges).toContainEqual({ from: 'router', to: 'subgraph:inventory', label: 'no token' });
  });
});

describe('which answers get a trace view', () => {
  const trace = traceOf([fetchOf(0, 'accounts')]);

  it('draws the trace of an answer with data', () => {
    expect(traceToShow({ data: { me: null }, extensions: { delegationTrace: trace } })).toBe(trace);
  });

  it('draws nothing for an answer without data (a query that failed validation), nor for a trace of no fetch', () => {
    expect(traceToShow({ extensions: { delegationTrace: trace } })).toBeUndefined();
    expect(traceToShow({ data: null, extensions: { delegationTrace: trace } })).toBeUndefined();
    expect(traceToShow({ data: { __typename: 'Query' }, extensions: { delegationTrace: traceOf([]) } })).toBeUndefined();
    expect(traceToShow({ data: { me: null } })).toBeUndefined();
  });
});
