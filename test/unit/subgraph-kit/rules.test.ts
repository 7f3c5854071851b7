import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { DecisionLog } from '../../../subgraph-kit/decisions/decisionLog.js';
import { all, any, condition, everyone, role, scope, when, type RuleContext } from '../../../subgraph-kit/rules/rule.js';
import type { RuleSet } from '../../../subgraph-kit/rules/ruleSet.js';
import type { DeputyIdentity } from '../../../subgraph-kit/context/deputyContext.js';
import { RuleCoverageError } from '../../../subgraph-kit/rules/checkRuleCoverage.js';
import { protectSchema } from '../../../subgraph-kit/rules/protectSchema.js';

// @apollo/subgraph builds its schema with graphql's CommonJS build; execute it with the same copy.
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

// Unit tests of the rules kit on a small in-process subgraph (no HTTP: the demo subgraphs'
// behaviour over HTTP is in test/security/).

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { notes: [Note] nested: [[Note]] note(id: ID!): Note later: [Note] }
  type Note @key(fields: "id") { id: ID! text: String secret: String }
  type Mutation { write(text: String!): Note }
`;
interface Note { id: string; text: string; owner: string; hidden?: boolean }
const NOTES: Note[] = [
  { id: '1', text: 'public', owner: 'ann' },
  { id: '2', text: 'hidden', owner: 'ann', hidden: true },
  { id: '3', text: 'bob', owner: 'bob' },
];

const owner = when<Note>('its owner', (subject, note) => subject === note.owner);
const roles = { has: (subject: string, name: string) => subject === 'boss' && name === 'editor' };
const rules = (): RuleSet => ({
  readScope: 'notes:read',
  writeScope: 'notes:write',
  types: {
    Query: { fields: { notes: everyone, nested: everyone, note: everyone, later: everyone } },
    Note: {
      object: any(condition<Note>('not hidden', (note) => !note.hidden), all(scope('notes:read'), owner)),
      fields: { id: everyone, text: everyone, secret: all(scope('notes:read'), owner) },
    },
    Mutation: { fields: { write: all(scope('notes:write'), role(roles, 'editor')) } },
  },
});

function build(ruleSet: RuleSet = rules()): GraphQLSchema {
  const byId = new Map(NOTES.map((note) => [note.id, note]));
  const schema = buildSubgraphSchema({
    typeDefs: parse(SDL),
    resolvers: {
      Query: {
        notes: () => NOTES,
        nested: () => [NOTES, [NOTES[1]]],
        note: (_: unknown, args: { id: string }) => byId.get(args.id),
        later: async () => NOTES.map(async (note) => note),
      },
      Note: { __resolveReference: (ref: { id: string }) => byId.get(ref.id), secret: (note: Note) => `secret of ${note.owner}` },
      Mutation: { write: (_: unknown, args: { text: string }) => ({ id: '9', text: args.text, owner: 'boss' }) },
    } as never,
  });
  return protectSchema('notes', schema, ruleSet);
}

const identity = (subject: string, scopes: string[]): DeputyIdentity => ({ subject, clientId: 'deputy-router', scopes, actorChain: ['deputy-router'], tokenId: 't1', fingerprint: '0123456789ab', expiresAt: 0, claims: {} });

async function run(schema: GraphQLSchema, query: string, sub: string, scopes: string[], variables?: Record<string, unknown>) {
  const context: RuleContext & { decisions: DecisionLog } = { deputy: identity(sub, scopes), decisions: new DecisionLog() };
  const result = await graphql({ schema, source: query, contextValue: context, variableValues: variables });
  return { ...result, decisions: context.decisions.list() };
}

describe('protectSchema refuses rules that leave the schema uncovered (fail closed)', () => {
  const refused = (change: (set: RuleSet) => void) => {
    const set = rules();
    change(set);
    try {
      build(set);
    } catch (error) {
      expect(error).toBeInstanceOf(RuleCoverageError);
      expect((error as RuleCoverageError).code).toBe('RULES_INCOMPLETE');
      return (error as RuleCoverageError).problems;
    }
    throw new Error('the schema was protected although its rules are incomplete');
  };

  it('names a field without a rule', () => {
    expect(refused((set) => delete set.types.Note.fields.secret)).toEqual(['Note.secret has no rule']);
  });
  it('names an entity type without an object rule', () => {
    expect(refused((set) => delete set.types.Note.object)).toEqual(['Note is an entity (reachable through _entities): it needs an object rule']);
  });
  it('names a mutation whose rule checks the role only', () => {
    expect(refused((set) => (set.types.Mutation.fields.write = role(roles, 'editor')))).toEqual([
      'Mutation.write is a mutation: its rule "role editor" must require notes:write',
    ]);
  });
  it('names a mutation that can be allowed on one path without the write scope', () => {
    expect(refused((set) => (set.types.Mutation.fields.write = any(all(scope('notes:write'), role(roles, 'editor')), owner)))).toHaveLength(1);
  });
  it('names a read rule that lets a caller through without the read scope', () => {
    expect(refused((set) => (set.types.Note.fields.secret = owner))).toEqual(['Note.secret: its rule "its owner" must require notes:read wherever it depends on the caller']);
    expect(refused((set) => (set.types.Note.object = any(condition('not hidden', () => true), owner)))).toHaveLength(1);
  });
  it('names rules for types and fields the schema does not have', () => {
    expect(refused((set) => (set.types.Note.fields.colour = everyone))).toEqual(['rules name Note.colour, which the schema does not have']);
    expect(refused((set) => (set.types.Ghost = { fields: {} }))).toEqual(['rules name type Ghost, which the schema does not have']);
  });
});

describe('applied rules', () => {
  const schema = build();

  it('withholds objects on every path: lists, nested lists, single fields, async items and _entities', async () => {
    const result = await run(schema, '{ notes { id } nested { id } later { id } note(id: "2") { id } }', 'bob', ['notes:read']);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ notes: [{ id: '1' }, { id: '3' }], nested: [[{ id: '1' }, { id: '3' }], []], later: [{ id: '1' }, { id: '3' }], note: null });
    const entities = await run(schema, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Note { id } } }', 'bob', ['notes:read'], {
      r: [{ __typename: 'Note', id: '2' }, { __typename: 'Note', id: '3' }],
    });
    expect(entities.data).toEqual({ _entities: [null, { id: '3' }] });
    expect(entities.decisions).toContainEqual({ field: 'Note', decision: 'withhold', rule: 'not hidden or (scope notes:read and its owner)', count: 1 });
    // On a field, the decision is recorded under the field that returned the object.
    expect(result.decisions).toContainEqual({ field: 'Query.notes', decision: 'withhold', rule: 'not hidden or (scope notes:read and its owner)', count: 1 });
  });

  it('shows a hidden object to its owner with the read scope, and not without it', async () => {
    expect((await run(schema, '{ note(id: "2") { id } }', 'ann', ['notes:read'])).data).toEqual({ note: { id: '2' } });
    expect((await run(schema, '{ note(id: "2") { id } }', 'ann', [])).data).toEqual({ note: null });
  });

  it('refuses a field with FORBIDDEN and the rule, on a listed object and on an entity alike', async () => {
    const listed = await run(schema, '{ notes { id secret } }', 'ann', ['notes:read']);
    expect(listed.errors?.map((error) => [error.path?.join('.'), error.extensions.code, error.extensions.rule])).toEqual([['notes.2.secret', 'FORBIDDEN', 'scope notes:read and its owner']]);
    const entity = await run(schema, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Note { secret } } }', 'ann', ['notes:read'], { r: [{ __typename: 'Note', id: '3' }] });
    expect(entity.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'scope notes:read and its owner' });
    expect(entity.decisions).toContainEqual({ field: 'Note.secret', decision: 'deny', rule: 'scope notes:read and its owner', count: 1 });
  });

  it('runs no mutation resolver when the rule refuses: the role without the scope, the scope without the role', async () => {
    const mutation = 'mutation { write(text: "x") { id } }';
    expect((await run(schema, mutation, 'boss', [])).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await run(schema, mutation, 'ann', ['notes:write'])).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await run(schema, mutation, 'boss', ['notes:write'])).data).toEqual({ write: { id: '9' } });
  });

  it('reports the roles a rule looks up with each of its decisions, and none for a rule that names no role', async () => {
    const mutation = 'mutation { write(text: "x") { id } }';
    expect((await run(schema, mutation, 'ann', ['notes:write'])).decisions).toContainEqual({ field: 'Mutation.write', decision: 'deny', rule: 'scope notes:write and role editor', roles: ['editor'], count: 1 });
    expect((await run(schema, mutation, 'boss', ['notes:write'])).decisions).toContainEqual({ field: 'Mutation.write', decision: 'allow', rule: 'scope notes:write and role editor', roles: ['editor'], count: 1 });
    expect((await run(schema, '{ notes { secret } }', 'ann', ['notes:read'])).decisions.every((decision) => decision.roles === undefined)).toBe(true);
  });

  it('applies nothing when authentication is off (the benchmark floor)', async () => {
    const result = await graphql({ schema, source: '{ notes { id secret } }', contextValue: { open: true, decisions: new DecisionLog() } });
    expect(result.errors).toBeUndefined();
    expect((result.data as { notes: unknown[] }).notes).toHaveLength(3);
  });
});
