// End to end against each identity provider's wire format: the edge accepts the vendor's user
// token, every subgraph fetch carries a token exchanged in that vendor's dialect, a refusal by
// the vendor is DELEGATION_DENIED with its error, and the trace and audit say who asserted the chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/subgraphNames.js';
import type { DelegationTrace } from '../../router/trace/delegationTrace.js';
import { postGraphQL } from '../helpers/graphql.js';
import { keycloak } from '../helpers/identityProviders/keycloak.js';
import { entra, type EntraApp } from '../helpers/identityProviders/entra.js';
import { okta } from '../helpers/identityProviders/okta.js';
import { auth0 } from '../helpers/identityProviders/auth0.js';
import { SUBGRAPH_SCOPES, startVendorStack, type VendorSetup, type VendorStack } from '../helpers/identityProviders/startVendorStack.js';

const QUERY = '{ users { name } topProducts { name price inStock reviews { body author { username } } } }';
const ALL_SCOPES = Object.values(SUBGRAPH_SCOPES).flat();
const SECRET = 'router-secret-for-this-run';

interface VendorCase {
  setup: VendorSetup;
  /** The user's token for the router, as the vendor issues it to the front end. */
  userToken(stack: VendorStack, user: string): Promise<string>;
  /** The form fields of each exchange request, as the vendor documents them (client authentication aside). */
  requestFields: string[];
  clientAuthentication: 'client_secret_basic' | 'client_secret_post';
  /** Where each exchange names its subgraph. */
  targetOf(params: Record<string, string>): string;
  chainAssertedBy: 'issuer' | 'router';
  /** Makes the vendor refuse inventory from now on; the reason it answers and a piece of its description. */
  refuseInventory(): { reason: string; description: string };
}

const guid = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
const ROUTER_APP = guid(100);
const appOf = (name: SubgraphName) => guid(SUBGRAPH_NAMES.indexOf(name) + 1);

const keycloakAudiences = [...SUBGRAPH_NAMES];
const entraConsented = SUBGRAPH_NAMES.map((name) => `api://${appOf(name)}`);
const oktaPolicy: Record<string, string[]> = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`api://${name}`, SUBGRAPH_SCOPES[name]]));
const auth0Grants: Record<string, string[]> = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`https://api.example.test/${name}`, SUBGRAPH_SCOPES[name]]));

const cases: Record<string, VendorCase> = {
  keycloak: {
    setup: {
      dialect: keycloak(keycloakAudiences),
      profile: 'keycloak',
      routerClient: { id: 'deputy-router', secret: SECRET },
      audienceOf: (name) => name,
      routerConfig: { auth: { audience: 'deputy-router' } },
    },
    userToken: (stack, user) => stack.idp.userToken(user, 'web-app', 'deputy-router', ALL_SCOPES),
    requestFields: ['audience', 'grant_type', 'requested_token_type', 'scope', 'subject_token', 'subject_token_type'],
    clientAuthentication: 'client_secret_basic',
    targetOf: (params) => params.audience,
    chainAssertedBy: 'router',
    refuseInventory: () => {
      keycloakAudiences.splice(keycloakAudiences.indexOf('inventory'), 1);
      return { reason: 'invalid_client', description: 'Audience not found' };
    },
  },
  entra: {
    setup: {
      dialect: entra({
        routerAppId: ROUTER_APP,
        apps: Object.fromEntries(SUBGRAPH_NAMES.map((name): [string, EntraApp] => [`api://${appOf(name)}`, { appId: appOf(name), scopes: SUBGRAPH_SCOPES[name] }])),
        consented: entraConsented,
      }),
      profile: 'entra',
      routerClient: { id: ROUTER_APP, secret: SECRET },
      audienceOf: (name) => `api://${appOf(name)}`,
      // No authMethod: the entra profile's default is client_secret_post, as Entra documents its requests.
      routerConfig: { auth: { audience: `api://${ROUTER_APP}` } },
    },
    userToken: (stack, user) => stack.idp.userToken(user, guid(200), ROUTER_APP, ['access_as_user']),
    requestFields: ['assertion', 'client_id', 'client_secret', 'grant_type', 'requested_token_use', 'scope'],
    clientAuthentication: 'client_secret_post',
    targetOf: (params) => params.scope.replace(/\/\.default$/, ''),
    chainAssertedBy: 'router',
    refuseInventory: () => {
      entraConsented.splice(entraConsented.indexOf(`api://${appOf('inventory')}`), 1);
      return { reason: 'invalid_grant', description: 'AADSTS65001' };
    },
  },
  okta: {
    setup: {
      dialect: okta(oktaPolicy),
      profile: 'okta',
      routerClient: { id: '0oa-deputy-router', secret: SECRET },
      audienceOf: (name) => `api://${name}`,
      routerConfig: { auth: { audience: 'api://deputy-router' } },
    },
    userToken: (stack, user) => stack.idp.userToken(user, '0oa-web-app', 'api://deputy-router', ['router:access']),
    requestFields: ['audience', 'grant_type', 'scope', 'subject_token', 'subject_token_type'],
    clientAuthentication: 'client_secret_basic',
    targetOf: (params) => params.audience,
    chainAssertedBy: 'router',
    refuseInventory: () => {
      delete oktaPolicy['api://inventory'];
      return { reason: 'access_denied', description: 'Policy evaluation failed' };
    },
  },
  auth0: {
    setup: {
      dialect: auth0(auth0Grants),
      profile: 'auth0',
      routerClient: { id: 'deputy-router-client', secret: SECRET },
      audienceOf: (name) => `https://api.example.test/${name}`,
      routerConfig: { auth: { audience: 'https://api.example.test/router' } },
    },
    userToken: (stack, user) => stack.idp.userToken(user, 'spa-client', 'https://api.example.test/router', ['router:access']),
    requestFields: ['audience', 'grant_type', 'scope', 'subject_token', 'subject_token_type'],
    clientAuthentication: 'client_secret_basic',
    targetOf: (params) => params.audience,
    chainAssertedBy: 'issuer',
    refuseInventory: () => {
      delete auth0Grants['https://api.example.test/inventory'];
      return { reason: 'unauthorized_client', description: 'client-grant' };
    },
  },
};

interface Answer {
  data?: { users: { name: string | null }[] | null; topProducts: { inStock: boolean | null; reviews: { author: { username: string } | null }[] }[] };
  errors?: { message: string; extensions: Record<string, unknown> }[];
  extensions?: { delegationTrace?: DelegationTrace };
}

for (const [vendor, spec] of Object.entries(cases)) {
  describe(`the ${vendor} profile, against a ${vendor}-shaped identity provider`, () => {
    let stack: VendorStack;
    const ask = async (user: string) => {
      const response = await postGraphQL(stack.router.url, { query: QUERY }, { authorization: `Bearer ${await spec.userToken(stack, user)}`, 'x-delegation-trace': '1' });
      expect(response.status).toBe(200);
      return response.json() as Answer;
    };

    beforeAll(async () => {
      stack = await startVendorStack(spec.setup);
    });
    afterAll(() => stack?.stop());

    it(`serves a query with the vendor's user token, exchanging one ${vendor}-dialect token per subgraph`, async () => {
      const body = await ask('alice');
      expect(body.errors).toBeUndefined();
      expect(body.data?.users?.[0].name).toEqual(expect.any(String));
      expect(body.data?.topProducts[0].inStock).toEqual(expect.any(Boolean));
      expect(body.data?.topProducts[0].reviews[0].author?.username).toEqual(expect.any(String));
      const exchanges = stack.idp.received;
      expect(exchanges).toHaveLength(SUBGRAPH_NAMES.length);
      for (const exchange of exchanges) {
        expect(Object.keys(exchange.params).sort()).toEqual(spec.requestFields);
        expect(exchange.client?.method).toBe(spec.clientAuthentication);
      }
      expect(exchanges.map((exchange) => spec.targetOf(exchange.params)).sort()).toEqual(SUBGRAPH_NAMES.map(spec.setup.audienceOf).sort());
    });

    it(`records the delegation chain in the trace and the audit, asserted by the ${spec.chainAssertedBy}`, async () => {
      const body = await ask('alice');
      const fetches = body.extensions?.delegationTrace?.fetches ?? [];
      expect(fetches.length).toBeGreaterThanOrEqual(SUBGRAPH_NAMES.length);
      for (const fetch of fetches) {
        expect(fetch.actorChain).toEqual([spec.setup.routerClient.id]);
        expect(fetch.actorChainAssertedBy).toBe(spec.chainAssertedBy);
      }
      const delegations = stack.audit.filter((event) => event.event === 'delegation' && event.decision === 'granted');
      expect(delegations.length).toBeGreaterThan(0);
      expect(delegations.every((event) => event.actorChainAssertedBy === spec.chainAssertedBy)).toBe(true);
    });

    it(`reports ${vendor}'s refusal as DELEGATION_DENIED with its error, and serves the rest`, async () => {
      const expected = spec.refuseInventory();
      const body = await ask('bob');
      expect(body.data?.topProducts[0].inStock).toBeNull();
      expect(body.data?.topProducts[0].reviews[0].author?.username).toEqual(expect.any(String));
      expect(body.errors?.map((error) => error.extensions)).toEqual([{ code: 'DELEGATION_DENIED', subgraph: 'inventory', reason: expected.reason }]);
      expect(body.errors?.[0].message).toContain(expected.description);
    });
  });
}
