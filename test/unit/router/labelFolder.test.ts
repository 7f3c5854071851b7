import { describe, expect, it } from 'vitest';
import { ANONYMOUS_LABEL, LabelFolder, OTHER_LABEL } from '../../../router/observability/labelFolder.js';

describe('LabelFolder', () => {
  it('keeps the first names as they are, and keeps them after the limit is reached', () => {
    const folder = new LabelFolder(2);
    expect(folder.fold('TopProducts')).toBe('TopProducts');
    expect(folder.fold('Me')).toBe('Me');
    expect(folder.fold('Another')).toBe(OTHER_LABEL);
    expect(folder.fold('TopProducts')).toBe('TopProducts');
    expect(folder.fold('Me')).toBe('Me');
  });

  it('folds every name past the limit into one value, however many there are', () => {
    const folder = new LabelFolder(3);
    const values = new Set(Array.from({ length: 1000 }, (_, i) => folder.fold(`Op${i}`)));
    expect(values).toEqual(new Set(['Op0', 'Op1', 'Op2', OTHER_LABEL]));
  });

  it('labels a missing name __anonymous__ without spending a place on it', () => {
    const folder = new LabelFolder(1);
    expect(folder.fold(undefined)).toBe(ANONYMOUS_LABEL);
    expect(folder.fold(null)).toBe(ANONYMOUS_LABEL);
    expect(folder.fold('')).toBe(ANONYMOUS_LABEL);
    expect(folder.fold('Named')).toBe('Named');
  });

  it('folds an over-long name and keeps its place for a real one', () => {
    const folder = new LabelFolder(1);
    expect(folder.fold('x'.repeat(129))).toBe(OTHER_LABEL);
    expect(folder.fold('Short')).toBe('Short');
  });
});
