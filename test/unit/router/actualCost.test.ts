import { describe, expect, it } from 'vitest';
import { actualCost } from '../../../router/limits/demandControlPlugin.js';

describe('the actual cost of a response', () => {
  it('counts every object in the data, through lists, and nothing for scalars and nulls', () => {
    expect(actualCost(null)).toBe(0);
    expect(actualCost(3)).toBe(0);
    expect(actualCost({ a: 1 })).toBe(1);
    expect(actualCost({ topProducts: [{ upc: '1', reviews: [{ id: 1 }, { id: 2 }] }, { upc: '2', reviews: [] }, null] })).toBe(1 + 2 + 2);
    expect(actualCost([[{}, {}], [{}]])).toBe(3);
  });
});
