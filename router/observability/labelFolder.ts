/** The label value of a request without the name (an anonymous operation, an anonymous caller). */
export const ANONYMOUS_LABEL = '__anonymous__';
/** The label value every name beyond the first `max` folds into. */
export const OTHER_LABEL = '__other__';

// A label value longer than this is not a name anyone chose to read on a dashboard.
const MAX_LENGTH = 128;

/**
 * Keeps a metric label's cardinality bounded: the first `max` distinct values are kept as
 * they are, any later one (or an over-long one) becomes `__other__`, and a missing one
 * `__anonymous__`. Each series costs memory in the router and in every scraper, so a client
 * that invents operation names must not be able to grow them without end.
 */
export class LabelFolder {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  /** The label value to record for `value`. */
  fold(value: string | null | undefined): string {
    if (!value) return ANONYMOUS_LABEL;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max || value.length > MAX_LENGTH) return OTHER_LABEL;
    this.seen.add(value);
    return value;
  }
}
