import type { FieldUsage } from '../../registry/store/registryStore.js';

/**
 * Counts per (client id, operation name, field), holding at most `maxKeys` distinct triples;
 * a use that would need one more is counted in `dropped` instead. Nested maps, so counting a
 * request builds no key string: two lookups per request, then one per field.
 */
export class UsageTally {
  private readonly byClient = new Map<string, Map<string, Map<string, number>>>();
  private keys = 0;
  /** Field uses not counted because the tally was full. */
  dropped = 0;

  constructor(private readonly maxKeys: number) {}

  /** Adds `count` uses of each of `fields` by `operationName` of `clientId`. */
  add(clientId: string, operationName: string, fields: readonly string[], count = 1): void {
    let byField = this.byClient.get(clientId)?.get(operationName);
    if (!byField) {
      // Maps are made only for a key that fits: a full tally, or an operation using no field, takes no room.
      if (fields.length === 0) return;
      if (this.keys >= this.maxKeys) {
        this.dropped += count * fields.length;
        return;
      }
      let byOperation = this.byClient.get(clientId);
      if (!byOperation) this.byClient.set(clientId, (byOperation = new Map()));
      byOperation.set(operationName, (byField = new Map()));
    }
    for (const field of fields) {
      const seen = byField.get(field);
      if (seen !== undefined) {
        byField.set(field, seen + count);
      } else if (this.keys < this.maxKeys) {
        byField.set(field, count);
        this.keys += 1;
      } else {
        this.dropped += count;
      }
    }
  }

  /** Distinct (client id, operation name, field) triples counted. */
  get size(): number {
    return this.keys;
  }

  /** Every count, one row per triple. */
  rows(): FieldUsage[] {
    const rows: FieldUsage[] = [];
    for (const [clientId, byOperation] of this.byClient) {
      for (const [operationName, byField] of byOperation) {
        for (const [field, count] of byField) rows.push({ clientId, operationName, field, count });
      }
    }
    return rows;
  }
}
