import { z } from 'zod';
import { PROFILE_NAMES } from '../../lib/tokenProfile.js';
import { flag, limit, port, positiveMs, stringOrList } from './configPrimitives.js';
import { registryConfigSchema } from './registryConfigSchema.js';
import { telemetryConfigSchema } from './telemetryConfigSchema.js';
import { revocationConfigSchema } from './revocationConfigSchema.js';
import { auditConfigSchema } from './auditConfigSchema.js';
import { trafficConfigSchema } from './trafficConfigSchema.js';

// The router's configuration file (router/router.yaml by default, DEPUTY_CONFIG to point
// elsewhere). Every option says what it does in `.describe()`, beside its default: that text is
// the JSON Schema's and README.md's (`npm run config:docs` writes both; a test keeps them equal).
// A default that is not a literal is written as a last sentence "Default: ...".
// `.strict()` everywhere: an unknown key is a start-up error naming its path.


export const subgraphSchema = z
  .object({
    url: z.url().optional().describe("Where to reach the subgraph; replaces the routing URL from the supergraph. Default: the supergraph's routing URL."),
    audience: z.string().min(1).optional().describe("The subgraph's audience at the issuer: the `audience` (or `resource`) of its exchanges, and the application ID URI with Entra ID (`api://reviews`). Default: the subgraph's name."),
    scope: z.string().min(1).optional().describe('Entra ID on-behalf-of only: the `scope` requested for this subgraph. Default: `<audience>/.default`.'),
    scopes: z.array(z.string().min(1)).default([]).describe('The scopes this subgraph may receive; each token carries at most these.'),
    allowedClients: z.array(z.string().min(1)).default(['*']).describe("Caller client ids (the user token's `client_id`) this subgraph may serve; `*` for any."),
    timeoutMs: positiveMs.default(10_000).describe('Timeout of one fetch to this subgraph (headers and body), in ms.'),
    maxResponseBytes: z.coerce.number().int().positive().default(16 * 1024 * 1024).describe('Largest response body accepted from this subgraph (16 MiB), checked while the body streams.'),
    deduplicate: flag.optional().describe('Identical query fetches to this subgraph in flight together share one HTTP request. Default: `traffic.deduplicateFetches`.'),
  })
  .strict()
  .describe('One subgraph: how the router reaches it and what its tokens may carry.');


export const configSchema = z
  .object({
    mode: z
      .enum(['development', 'production'])
      .default('production')
      .describe('`production` turns off what helps development only: introspection is denied and the console is off unless enabled; `development` (what `npm start` runs, `DEPUTY_MODE` in the shipped router.yaml) allows both.'),
    listen: z
      .object({
        host: z.string().min(1).default('127.0.0.1').describe('Address to bind.'),
        port: port.default(4000).describe('Port to listen on (`0`: any free port).'),
        bodyLimitBytes: z.coerce.number().int().positive().default(1024 * 1024).describe('Largest request body accepted (1 MiB); a larger one is refused with 413.'),
      })
      .strict()
      .prefault({})
      .describe('Where the router listens.'),
    supergraph: z
      .object({
        file: z.string().min(1).optional().describe('A composed supergraph SDL file. Default: `schema/supergraph.graphql`.'),
        rover: z.string().min(1).optional().describe('Or a rover.yaml to compose at start-up (not both).'),
        sources: z.string().min(1).optional().describe('The rover.yaml whose subgraph SDLs a schema publish composes with. Default: `supergraph.rover` when set, else none (publishing off).'),
        watch: flag.default(true).describe('Reload when the supergraph file changes on disk.'),
      })
      .strict()
      .prefault({})
      .refine((value) => !(value.file && value.rover), { message: 'set either file or rover, not both' })
      .describe('The supergraph the router serves.'),
    auth: z
      .object({
        issuer: z.url().describe('The issuer of user tokens; exact match on `iss`; discovery at `<issuer>/.well-known/openid-configuration`.'),
        jwksUri: z.url().optional().describe("The issuer's JWKS; an unknown `kid` refetches it at once, at most once per 30 s. Default: `jwks_uri` from the issuer's discovery document."),
        audience: z
          .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
          .default('deputy-router')
          .describe("The `aud` user tokens must carry (one of a list). With the `entra` profile, an application's GUID and its `api://<GUID>` URI name the same application."),
        profile: z
          .enum(PROFILE_NAMES)
          .default('rfc9068')
          .describe('Which issuer the tokens come from, and so where their type, client, scopes and id are: `rfc9068` (the embedded server, any RFC 9068 issuer), `keycloak`, `entra`, `okta`, `auth0` (README "Your identity provider").'),
        claims: z
          .object({
            clientId: stringOrList.optional().describe('The claim(s) naming the client, first present wins. Default: from the profile (`client_id`, `azp`, `azp`/`appid`, `cid`, `client_id`/`azp`).'),
            scopes: stringOrList.optional().describe('The claim(s) holding scopes, a space-separated string or an array. Default: from the profile (`scope`, `scope`, `scp`/`roles`, `scp`, `scope`/`permissions`).'),
            tokenId: stringOrList.optional().describe('The claim(s) holding the token id. Default: from the profile (`jti`; `uti` for Entra).'),
            subject: z.string().min(1).optional().describe('The claim naming the user (e.g. `oid` with Entra, which is stable across applications). Default: `sub`.'),
          })
          .strict()
          .prefault({})
          .describe("Where the profile's claims are, key by key."),
        tokenType: z
          .union([z.string().min(1), z.array(z.string().min(1).nullable()).min(1)])
          .optional()
          .describe('Accepted `typ` header values (`null` in a list: a token without `typ`). Default: from the profile (`at+jwt`; `JWT` for Keycloak and Entra; `JWT` or none for Okta; `at+jwt` or `JWT` for Auth0).'),
        algorithms: z
          .array(z.enum(['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA']))
          .min(1)
          .default(['ES256', 'RS256', 'PS256', 'EdDSA'])
          .describe('Accepted signature algorithms: asymmetric only, never `none` or HMAC.'),
        clockToleranceSeconds: z.coerce.number().int().min(0).max(300).default(5).describe('Clock skew allowed on `exp`/`nbf`, in seconds.'),
        allowAnonymous: flag.default(false).describe('Serve requests without a token (subgraphs then get no token and decide themselves).'),
      })
      .strict()
      .describe('How user tokens are verified at the edge.'),
    exchange: z
      .object({
        tokenEndpoint: z.url().optional().describe("The RFC 8693 token endpoint. Default: from the issuer's discovery document."),
        clientId: z.string().min(1).default('deputy-router').describe("The router's client id at the authorization server."),
        grant: z
          .enum(['token-exchange', 'entra-obo'])
          .optional()
          .describe("`token-exchange` (RFC 8693) or `entra-obo` (Entra ID's on-behalf-of: the JWT bearer grant with `requested_token_use=on_behalf_of`). Default: `entra-obo` with the `entra` profile, else `token-exchange`."),
        targetParameter: z.enum(['audience', 'resource', 'both']).default('audience').describe('How an RFC 8693 exchange names the subgraph: `audience`, `resource` (a URI), or both.'),
        requestedTokenType: z
          .string()
          .min(1)
          .optional()
          .describe('The `requested_token_type` of an RFC 8693 exchange. Default: the access token type with the `rfc9068` and `keycloak` profiles, none (left out) with the others.'),
        requestScopes: z
          .enum(['held', 'configured'])
          .optional()
          .describe("Which scopes an exchange asks for: `held`, the subgraph's scopes the user's token holds (never more than the caller has), or `configured`, the subgraph's scopes, leaving the decision to the issuer's policy and consent (other providers' user tokens hold the router's scopes, not the subgraphs'). Default: `held` with the `rfc9068` profile, else `configured`."),
        authMethod: z
          .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth'])
          .optional()
          .describe('How the router authenticates at the token endpoint: the secret in HTTP Basic or in the body, a signed assertion (RFC 7523), or its certificate over mutual TLS (RFC 8705). Default: `client_secret_post` with the `entra` profile (as Entra ID documents its requests), else `client_secret_basic`.'),
        clientSecret: z.string().optional().describe('The client secret (use `${ENV_VAR}`). Default: none; required with `client_secret_basic` and `client_secret_post`.'),
        privateKeyFile: z.string().optional().describe('A private JWK file (with `kid` and `alg`). Default: none; required with `private_key_jwt`.'),
        certificateFile: z
          .string()
          .optional()
          .describe("The router's certificate (PEM): its `x5t#S256` thumbprint goes in the `private_key_jwt` header (Entra ID requires it); with `tls_client_auth`, the client certificate. Default: none; required with `tls_client_auth`."),
        certificateKeyFile: z.string().optional().describe("The certificate's private key (PEM), for `tls_client_auth`. Default: none; required with `tls_client_auth`."),
        caFile: z.string().optional().describe("A CA certificate (PEM) to trust for the token endpoint over mutual TLS, when it is not a public one. Default: the system's."),
        timeoutMs: positiveMs.default(2000).describe('Timeout of one exchange, in ms.'),
        cache: z
          .object({
            maxEntries: z.coerce.number().int().positive().default(10_000).describe('Most cached tokens kept; the least recently used go first.'),
            skewSeconds: z.coerce.number().int().min(0).default(30).describe('Entries expire this many seconds before the token does.'),
            backend: z.enum(['memory', 'redis']).default('memory').describe('`memory` (per instance) or `redis` (shared by instances; needs `shared.redisUrl` and `shared.tokenEncryptionKey`).'),
          })
          .strict()
          .prefault({})
          .describe('The cache of exchanged tokens.'),
        circuitBreaker: z
          .object({
            consecutiveFailures: z.coerce.number().int().positive().default(5).describe('Consecutive unavailable exchanges that open the circuit.'),
            halfOpenAfterMs: positiveMs.default(5000).describe('How long the circuit stays open before one trial exchange, in ms.'),
          })
          .strict()
          .prefault({})
          .describe('The circuit breaker in front of the token endpoint.'),
      })
      .strict()
      .prefault({})
      .refine((value) => !(value.authMethod ?? 'client_secret_basic').startsWith('client_secret_') || Boolean(value.clientSecret), {
        message: 'clientSecret is required with client_secret_basic and client_secret_post',
        path: ['clientSecret'],
      })
      .refine((value) => value.authMethod !== 'tls_client_auth' || Boolean(value.certificateFile && value.certificateKeyFile), {
        message: 'certificateFile and certificateKeyFile are required with tls_client_auth',
        path: ['certificateFile'],
      })
      .refine((value) => value.authMethod !== 'private_key_jwt' || Boolean(value.privateKeyFile), {
        message: 'privateKeyFile is required with private_key_jwt',
        path: ['privateKeyFile'],
      })
      .describe("The exchange that gets each subgraph its token: RFC 8693, or Entra ID's on-behalf-of grant."),
    limits: z
      .object({
        maxDepth: limit.default(15).describe('Deepest field nesting (the benchmark query is 8).'),
        maxBreadth: limit.default(100).describe('Most fields in one selection set.'),
        maxAliases: limit.default(30).describe('Most aliased fields (after fragment expansion).'),
        maxFields: limit.default(1000).describe('Most fields after fragment expansion (fragment bombs).'),
        maxTokens: limit.default(5000).describe('Most lexical tokens in the query text; parsing stops there.'),
        maxVariablesBytes: limit.default(64 * 1024).describe('Largest `variables`, in bytes of JSON (64 KiB).'),
        maxBatchSize: limit.default(1).describe('Most operations in a batched (JSON array) request; 1 turns batching off.'),
        introspection: z.enum(['allow', 'deny']).optional().describe('Allow or deny `__schema`/`__type` (`__typename` is always allowed). Default: allow in development mode, deny in production.'),
        maxCost: limit.default(50_000).describe('Highest estimated cost of an operation (demand control).'),
        defaultListSize: limit.default(10).describe('Assumed size of a list field that declares none and has no slicing argument.'),
        listSizes: z
          .record(z.string().regex(/^\w+\.\w+$/, 'a field coordinate, Type.field'), z.coerce.number().int().min(0))
          .default({})
          .describe('Assumed size of a list field (`Type.field: size`), over `limits.defaultListSize`.'),
        maxResponseBytes: limit.default(16 * 1024 * 1024).describe('Largest response the router builds (16 MiB).'),
        maxConcurrentPerSubject: limit.default(32).describe("Most requests one user may have in flight; more are refused with 429, so one user cannot starve the others."),
      })
      .strict()
      .prefault({})
      .describe('Request limits and demand control, checked before any exchange or fetch (README "Request limits").'),
    metrics: z
      .object({
        listen: z
          .object({ host: z.string().min(1).default('127.0.0.1').describe('Address to bind.'), port: port.describe('Port to listen on (`0`: any free port).') })
          .strict()
          .optional()
          .describe("Serve GET /metrics (and /health) on a listener of its own instead (e.g. an internal interface). Default: the router's listener."),
        bearerToken: z.string().min(16, 'at least 16 characters').optional().describe('Require `Authorization: Bearer <token>` for GET /metrics (401 otherwise); at least 16 characters. Default: none.'),
        prefix: z
          .string()
          .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name prefix')
          .optional()
          .describe("Prefix of Node's default metrics (process_cpu_seconds_total...); the router's own are always deputy_. Default: none."),
        maxOperationNames: limit.default(100).describe('Distinct operation names the request histogram labels; later names are `__other__`, anonymous ones `__anonymous__`.'),
        maxClientIds: limit.default(100).describe('Distinct client ids the request histogram labels; later ids are `__other__`.'),
      })
      .strict()
      .prefault({})
      .describe('GET /metrics, in Prometheus text.'),
    console: z
      .object({
        enabled: flag.optional().describe('Serve the web console at GET / (built by `npm run build:console`). Default: on in development mode, off in production.'),
      })
      .strict()
      .prefault({})
      .describe('The web console.'),
    trace: z
      .object({
        policy: z.enum(['never', 'scope', 'always']).default('scope').describe('Who gets a delegation trace on request: `never`, `scope` (callers holding `trace.scope`) or `always` (local development).'),
        scope: z.string().min(1).default('trace:read').describe('The scope that allows a trace under the `scope` policy.'),
      })
      .strict()
      .prefault({})
      .describe('The delegation trace in `extensions.delegationTrace`.'),
    broker: z
      .object({
        maxDepth: z.coerce.number().int().min(2).default(3).describe("Most actors a brokered token's `act` chain may hold; deeper chains are refused."),
        timeoutMs: positiveMs.default(10_000).describe('Timeout of the brokered call to the target, in ms.'),
        maxBatchSize: limit.default(50).describe('Most operations in one batched call (`requests`); each is checked against `limits`, and their costs together against `limits.maxCost`.'),
        callers: z
          .record(
            z.string(),
            z
              .object({
                subgraph: z.string().min(1).describe("The caller service's own subgraph."),
                targets: z.record(z.string(), z.array(z.string().min(1))).describe('Per target subgraph, the scopes the caller may ask for.'),
              })
              .strict(),
          )
          .default({})
          .describe('Services allowed to ask the broker, by client id.'),
      })
      .strict()
      .prefault({})
      .describe('The delegation broker (POST /delegate) for service-to-service calls.'),
    shared: z
      .object({
        redisUrl: z.string().min(1).optional().describe('Redis shared by several router instances (published schema, token cache, audit stream). Default: none, all in memory.'),
        keyPrefix: z.string().default('deputy:').describe('Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis.'),
        tokenEncryptionKey: z.string().optional().describe('AES-256-GCM key (32 bytes, base64) sealing tokens cached in Redis; use `${ENV_VAR}`. Default: none; required with the redis token cache.'),
        commandTimeoutMs: positiveMs.default(200).describe('Longest wait for one Redis command, in ms; a slow Redis delays a request by at most this.'),
        required: flag.default(false).describe('Keep the router not ready (GET /health/ready 503) while Redis is away; when false it serves, degraded.'),
      })
      .strict()
      .prefault({})
      .describe('State shared by several router instances.'),
    admin: z
      .object({
        audience: z.string().min(1).default('deputy-admin').describe('The `aud` of tokens for the admin API (schema publishing).'),
        publishScope: z.string().min(1).default('schema:publish').describe("The scope a team needs to publish, check and approve its own subgraph's changes, and read the registry."),
        adminScope: z.string().min(1).default('schema:admin').describe('The scope of a registry admin: roll back, approve any takeover, publish any subgraph.'),
        teams: z.record(z.string(), z.string()).default({}).describe('Team client id -> the subgraph it may publish. Default: `<subgraph>-team` publishes `<subgraph>`.'),
      })
      .strict()
      .prefault({})
      .describe('The admin API: schema publishing and the registry (POST /admin/schema, /admin/schema/...).'),
    registry: registryConfigSchema,
    audit: auditConfigSchema,
    telemetry: telemetryConfigSchema,
    revocation: revocationConfigSchema,
    traffic: trafficConfigSchema,
    subgraphs: z.record(z.string(), subgraphSchema).default({}).describe('The subgraphs, by name.'),
  })
  .strict()
  .refine((config) => config.exchange.cache.backend !== 'redis' || (config.shared.redisUrl && config.shared.tokenEncryptionKey), {
    message: 'the redis token cache needs shared.redisUrl and shared.tokenEncryptionKey',
    path: ['exchange', 'cache', 'backend'],
  })
  .refine((config) => config.audit.sink !== 'redis' || config.shared.redisUrl, { message: 'the redis audit sink needs shared.redisUrl', path: ['audit', 'sink'] });

/** The validated router configuration, defaults applied. */
export type RouterConfig = z.infer<typeof configSchema>;
export type SubgraphConfig = z.infer<typeof subgraphSchema>;
