import { describe, expect, it } from 'vitest';
import { denialsOf } from '../../../router/observability/countDenials.js';

describe('denialsOf', () => {
  it('counts the denied decisions a subgraph reports, by rule, with their occurrences', () => {
    const denials = denialsOf({
      data: {},
      extensions: {
        authorization: {
          decisions: [
            { field: 'User.birthday', decision: 'deny', rule: 'owner', count: 8 },
            { field: 'User.email', decision: 'deny', rule: 'owner', count: 2 },
            { field: 'User.username', decision: 'allow', rule: 'public', count: 9 },
            { field: 'Review', decision: 'withhold', rule: 'published', count: 3 },
          ],
        },
      },
    });
    expect(Object.fromEntries(denials)).toEqual({ owner: 10 });
  });

  it('falls back to the FORBIDDEN errors of a subgraph that reports no decisions', () => {
    const denials = denialsOf({
      errors: [
        { message: 'no', extensions: { code: 'FORBIDDEN', rule: 'owner' } },
        { message: 'no', extensions: { code: 'FORBIDDEN', rule: 'owner' } },
        { message: 'down', extensions: { code: 'INTERNAL_SERVER_ERROR', rule: 'owner' } },
        { message: 'no rule', extensions: { code: 'FORBIDDEN' } },
      ],
    });
    expect(Object.fromEntries(denials)).toEqual({ owner: 2 });
  });

  it('ignores counts that are not positive numbers', () => {
    const denials = denialsOf({ extensions: { authorization: { decisions: [{ field: 'A.b', decision: 'deny', rule: 'r', count: -5 }, { field: 'A.c', decision: 'deny', rule: 'r', count: '7' }] } } });
    expect(denials.size).toBe(0);
  });
});
