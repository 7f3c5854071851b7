import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, type GraphQLObjectType, type StringValueNode } from 'graphql';
import { startStack, type TestStack } from '../helpers/startStack.js';
import { postGraphQL } from '../helpers/graphql.js';
import { claimsOf } from '../helpers/decode.js';
import { ACCESS_TOKEN_TYPE } from '../helpers/startAuth.js';
import { exchange, routerDelegation, serviceToken } from '../helpers/delegatedTokens.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/subgraphNames.js';
import { entityTypes, protectedFields } from '../../subgraph-kit/rules/checkRuleCoverage.js';
import { isObject, namedType } from '../../lib/graphql/schemaTypes.js';
import type { RuleContext } from '../../subgraph-kit/rules/rule.js';
import { SUBGRAPH_AUDIENCES } from '../../auth-server/audiences.js';

// The generic walk of issue 16: for every subgraph, every entity type through `_entities` with
// every key the dataset holds and every field, as each demo user and each service that can get
// a token for it, the outcome is what the declared rule says, and the rule that decided (in the
// error and in the reported decisions) is the declared one.

interface Caller {
  name: string;
  /** A token for each subgraph this caller can reach. */
  tokens: Partial<Record<SubgraphName, string>>;
}
interface Body {
  data?: { _entities: (Record<string, unknown> | null)[] };
  errors?: { message: string; path?: (string | number)[]; extensions: { code: string; rule?: string } }[];
  extensions?: { authorization?: { decisions: { field: string; decision: string; rule: string; count: number }[] } };
}

const noDecisions: RuleContext['decisions'] = { record: () => undefined };
/** Every scope each subgraph defines: the router asks for these, narrowed to what the user holds. */
const SCOPES = Object.fromEntries(SUBGRAPH_AUDIENCES.map((definition) => [definition.audience, definition.scopes]));

describe('every entity field, through _entities, is decided by its declared rule', () => {
  let stack: TestStack;
  const callers: Caller[] = [];

  /** Records of the dataset by entity type, keyed the way each type's @key names them. */
  const recordsOf = (type: string): Record<string, unknown>[] => {
    const records: Record<string, Record<string, unknown>[]> = { User: stack.data.users as never, Product: stack.data.products as never, Review: stack.data.reviews as never };
    return records[type] ?? [];
  };
  const directiveArgument = (type: GraphQLObjectType, directive: string) =>
    ((type.astNode?.directives ?? []).find((d) => d.name.value === directive)?.arguments?.[0]?.value as StringValueNode | undefined)?.value;

  beforeAll(async () => {
    stack = await startStack({ dataset: 'demo' });
    const users: [string, string | undefined][] = [['alice', undefined], ['bob', undefined], ['carol', undefined], ['urigo', undefined], ['alice with no scope', 'openid']];
    for (const [label, scope] of users) {
      const user = await stack.auth.userToken(label.split(' ')[0], scope);
      const tokens: Caller['tokens'] = {};
      // As the router asks: the subgraph's scopes that the user's token holds.
      const held = String(claimsOf(user).scope ?? '').split(' ');
      for (const name of SUBGRAPH_NAMES) tokens[name] = await routerDelegation(stack.auth, user, name, SCOPES[name].filter((s) => held.includes(s)).join(' '));
      callers.push({ name: label, tokens });
    }
    // Services: through the broker (the router exchanges with the service's actor token) and
    // directly (the fallback), only where the broker policy lets them call.
    for (const user of ['alice', 'bob']) {
      const held = await routerDelegation(stack.auth, await stack.auth.userToken(user), 'accounts', 'accounts:read');
      const actor = String((await serviceToken(stack.auth, 'accounts-service')).body.access_token);
      const brokered = await exchange(stack.auth, { subject_token: held, actor_token: actor, actor_token_type: ACCESS_TOKEN_TYPE, audience: 'reviews', scope: 'reviews:read' });
      const direct = await exchange(stack.auth, { subject_token: held, audience: 'reviews', scope: 'reviews:read' }, { id: 'accounts-service', secret: stack.auth.secret('accounts-service') });
      callers.push({ name: `accounts-service for ${user} via the broker`, tokens: { reviews: String(brokered.body.access_token) } });
      callers.push({ name: `accounts-service for ${user} directly`, tokens: { reviews: String(direct.body.access_token) } });
    }
  });
  afterAll(() => stack?.stop());

  it('gives no service a token of its own for any subgraph', async () => {
    for (const service of SUBGRAPH_NAMES.map((name) => `${name}-service`)) {
      for (const target of SUBGRAPH_NAMES) {
        const response = await serviceToken(stack.auth, service, { resource: `urn:deputy:subgraph:${target}` });
        expect([service, target, response.body.error]).toEqual([service, target, 'invalid_target']);
      }
    }
  });

  it.each(SUBGRAPH_NAMES)('%s: each entity, each field, each caller', async (subgraph) => {
    const { schema, rules } = stack.built[subgraph];
    const url = stack.subgraphs.find((running) => running.name === subgraph)!.url;
    let checkedFields = 0;
    for (const caller of callers) {
      const token = caller.tokens[subgraph];
      if (!token) continue;
      const claims = claimsOf(token);
      const deputy = { subject: String(claims.sub), clientId: String(claims.client_id), scopes: String(claims.scope ?? '').split(' ').filter(Boolean), actorChain: [], tokenId: String(claims.jti), fingerprint: '', expiresAt: Number(claims.exp), claims };
      const context: RuleContext = { deputy, decisions: noDecisions };
      for (const typeName of entityTypes(schema)) {
        const type = schema.getType(typeName) as GraphQLObjectType;
        const key = directiveArgument(type, 'key')!;
        const fields = protectedFields(schema).get(typeName)!;
        const external = fields.filter((field) => type.getFields()[field].astNode?.directives?.some((d) => d.kind === Kind.DIRECTIVE && d.name.value === 'external'));
        const records = recordsOf(typeName);
        expect(records.length, `${typeName} has data to walk`).toBeGreaterThan(0);
        const representations = records.map((record) => ({ __typename: typeName, [key]: record[key], ...Object.fromEntries(external.map((f) => [f, record[f]])) }));
        const selection = fields.map((field) => (isObject(namedType(type.getFields()[field].type)) ? `${field} { __typename }` : field)).join(' ');
        const response = await postGraphQL(url, { query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typeName} { ${selection} } } }`, variables: { r: representations } }, { authorization: `Bearer ${token}` });
        const body = response.json() as Body;
        const where = `${subgraph} ${typeName} as ${caller.name}`;
        expect(response.status, where).toBe(200);
        const decisions = body.extensions?.authorization?.decisions ?? [];
        const forbidden = (body.errors ?? []).filter((error) => error.extensions.code === 'FORBIDDEN');
        const declared = rules.types[typeName];
        let visible = 0;
        representations.forEach((representation, i) => {
          const parent = { ...representation, ...records[i] };
          const entity = body.data?._entities[i];
          if (!declared.object!.allows(context, parent, {})) {
            expect(entity, `${where}: ${key} ${String(representation[key])} is withheld`).toBeNull();
            return;
          }
          visible += 1;
          expect(entity, `${where}: ${key} ${String(representation[key])} is shown`).not.toBeNull();
          for (const field of fields) {
            const rule = declared.fields[field];
            const error = forbidden.find((candidate) => candidate.path?.join('.') === `_entities.${i}.${field}`);
            checkedFields += 1;
            if (rule.allows(context, parent, {})) expect(error, `${where}: ${field} of ${String(representation[key])} allowed by "${rule.name}"`).toBeUndefined();
            else {
              expect(error?.extensions.rule, `${where}: ${field} of ${String(representation[key])} denied by "${rule.name}"`).toBe(rule.name);
              expect(entity?.[field], `${where}: a denied ${field} is null`).toBeNull();
            }
          }
        });
        // Every refusal names the declared rule of its field, and each ruled field was decided once per shown entity.
        for (const error of forbidden) expect(error.extensions.rule).toBe(declared.fields[String(error.path?.[2])].name);
        // (A field returning objects also reports its object rule's decisions under its name: those are left aside.)
        for (const field of fields.filter((name) => !declared.fields[name].always)) {
          const own = decisions.filter((d) => d.field === `${typeName}.${field}` && d.decision !== 'withhold' && d.rule === declared.fields[field].name);
          expect(own.reduce((sum, d) => sum + d.count, 0), `${where}: ${field} decided for each shown entity`).toBe(visible);
          expect(decisions.filter((d) => d.field === `${typeName}.${field}` && d.decision === 'deny').every((d) => d.rule === declared.fields[field].name)).toBe(true);
        }
        if (!declared.object!.always) {
          const objectDecisions = decisions.filter((d) => d.field === typeName);
          expect(objectDecisions.reduce((sum, d) => sum + d.count, 0), `${where}: the object rule decided each entity`).toBe(records.length);
          expect(objectDecisions.every((d) => d.rule === declared.object!.name)).toBe(true);
        }
      }
    }
    expect(checkedFields).toBeGreaterThan(0);
  });
});
