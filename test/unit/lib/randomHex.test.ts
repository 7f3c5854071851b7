import { describe, expect, it } from 'vitest';
import { randomHex } from '../../../lib/randomHex.js';

describe('randomHex', () => {
  it('gives lowercase hex of the asked size, never the same id twice across pool refills', () => {
    const ids = Array.from({ length: 2000 }, () => randomHex(8));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
  });
});
