import type { DocumentNode, GraphQLSchema } from 'graphql';
import { fieldsUsed } from './fieldsUsed.js';

/** The fields of executed operations, walked once per (schema, document, operation). */
export interface FieldsUsedCache {
  /**
   * `fieldsUsed(schema, document, operationName)`, remembered under `documentKey` (Apollo's
   * `queryHash`: the same text is the same document) for this schema object; without a key, walked
   * every time. The array is shared between calls and frozen.
   */
  get(schema: GraphQLSchema, document: DocumentNode, documentKey: string | undefined, operationName?: string): readonly string[];
}

/** Options of `createFieldsUsedCache`. */
export interface FieldsUsedCacheOptions {
  /** Documents remembered per schema, least recently used dropped first. Default 1000. */
  maxEntries?: number;
  /** The walk; replaceable so a test can count walks. Default `fieldsUsed`. */
  walk?: typeof fieldsUsed;
}

/**
 * A bounded LRU per schema object. The gateway builds a new API schema object on every publish,
 * so a new schema starts empty and the old one's entries go with it (a WeakMap: nothing to clear).
 */
export function createFieldsUsedCache(options: FieldsUsedCacheOptions = {}): FieldsUsedCache {
  const maxEntries = options.maxEntries ?? 1000;
  const walk = options.walk ?? fieldsUsed;
  const bySchema = new WeakMap<GraphQLSchema, Map<string, readonly string[]>>();
  return {
    get(schema, document, documentKey, operationName) {
      if (documentKey === undefined) return Object.freeze(walk(schema, document, operationName));
      let entries = bySchema.get(schema);
      if (!entries) bySchema.set(schema, (entries = new Map()));
      // One document can hold several operations: the one chosen is part of the key (names hold no newline).
      const key = operationName === undefined ? documentKey : `${documentKey}\n${operationName}`;
      let fields = entries.get(key);
      if (fields) {
        // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
        entries.delete(key);
      } else {
        fields = Object.freeze(walk(schema, document, operationName));
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      }
      entries.set(key, fields);
      return fields;
    },
  };
}
