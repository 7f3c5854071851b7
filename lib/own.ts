/**
 * `record[key]` for a key that comes from a request or a published schema: only the record's own
 * entries count, never what its prototype holds (`constructor`, `__proto__`, `toString`...).
 */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
