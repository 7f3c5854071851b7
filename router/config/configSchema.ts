import { z } from 'zod';

// The router's configuration file (router/router.yaml by default, DEPUTY_CONFIG to point
// elsewhere). Every option has its default beside it; README.md documents them all.
// `.strict()` everywhere: an unknown key is a start-up error naming its path.

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();
// YAML booleans, or "true"/"false" from an environment variable (z.coerce would read "false" as true).
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

export const subgraphSchema = z
  .object({
    /** Replaces the routing URL from the supergraph. Default: the supergraph's URL. */
    url: z.url().optional(),
    /** The `aud` to request for this subgraph. Default: the subgraph's name. */
    audience: z.string().min(1).optional(),
    /** The scopes this subgraph may receive; each token carries at most these. Default: none. */
    scopes: z.array(z.string().min(1)).default([]),
    /** Caller client ids (the user token's client_id) this subgraph may serve; "*" for any. Default ["*"]. */
    allowedClients: z.array(z.string().min(1)).default(['*']),
    /** Timeout of one fetch to this subgraph. Default 10000 ms. */
    timeoutMs: positiveMs.default(10_000),
    /** Largest response body accepted from this subgraph. Default 16 MiB. */
    maxResponseBytes: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  })
  .strict();

const limit = z.coerce.number().int().positive();

export const configSchema = z
  .object({
    /** production turns off what helps development only (introspection, the console). Default production; npm start runs development. */
    mode: z.enum(['development', 'production']).default('production'),
    listen: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(4000),
        /** Largest request body accepted. Default 1 MiB. */
        bodyLimitBytes: z.coerce.number().int().positive().default(1024 * 1024),
      })
      .strict()
      .prefault({}),
    supergraph: z
      .object({
        /** A composed supergraph SDL file. Default schema/supergraph.graphql. */
        file: z.string().min(1).optional(),
        /** Or a rover.yaml to compose at start-up. */
        rover: z.string().min(1).optional(),
        /** The rover.yaml whose subgraph SDLs a schema publish composes with. Default: `rover` when set, else none (publishing off). */
        sources: z.string().min(1).optional(),
        /** Reload when the supergraph file changes on disk. Default true. */
        watch: flag.default(true),
      })
      .strict()
      .prefault({})
      .refine((value) => !(value.file && value.rover), { message: 'set either file or rover, not both' }),
    auth: z
      .object({
        /** The issuer of user tokens; exact match on `iss`. Required. */
        issuer: z.url(),
        /** The issuer's JWKS. Default: jwks_uri from the issuer's discovery document. */
        jwksUri: z.url().optional(),
        /** The `aud` user tokens must carry. Default deputy-router. */
        audience: z.string().min(1).default('deputy-router'),
        /** Accepted signature algorithms; never `none` or HMAC. Default ES256, RS256, PS256, EdDSA. */
        algorithms: z
          .array(z.enum(['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA']))
          .min(1)
          .default(['ES256', 'RS256', 'PS256', 'EdDSA']),
        /** Clock skew allowed on exp/nbf. Default 5 s. */
        clockToleranceSeconds: z.coerce.number().int().min(0).max(300).default(5),
        /** Serve requests without a token (subgraphs then get no token). Default false. */
        allowAnonymous: flag.default(false),
      })
      .strict(),
    exchange: z
      .object({
        /** Token endpoint. Default: from the issuer's discovery document. */
        tokenEndpoint: z.url().optional(),
        /** The router's client id at the authorization server. Default deputy-router. */
        clientId: z.string().min(1).default('deputy-router'),
        /** client_secret_basic (default) or private_key_jwt. */
        authMethod: z.enum(['client_secret_basic', 'private_key_jwt']).default('client_secret_basic'),
        /** The client secret (use ${ENV_VAR}); required for client_secret_basic. */
        clientSecret: z.string().optional(),
        /** A private JWK file (with kid and alg) for private_key_jwt. */
        privateKeyFile: z.string().optional(),
        /** Timeout of one exchange. Default 2000 ms. */
        timeoutMs: positiveMs.default(2000),
        cache: z
          .object({
            /** Most cached tokens kept (least recently used go first). Default 10000. */
            maxEntries: z.coerce.number().int().positive().default(10_000),
            /** Entries expire this long before the token does. Default 30 s. */
            skewSeconds: z.coerce.number().int().min(0).default(30),
            /** memory (default, per instance) or redis (shared by instances; needs shared.redisUrl and shared.tokenEncryptionKey). */
            backend: z.enum(['memory', 'redis']).default('memory'),
          })
          .strict()
          .prefault({}),
        circuitBreaker: z
          .object({
            /** Consecutive unavailable exchanges that open the circuit. Default 5. */
            consecutiveFailures: z.coerce.number().int().positive().default(5),
            /** How long the circuit stays open before one trial call. Default 5000 ms. */
            halfOpenAfterMs: positiveMs.default(5000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({})
      .refine((value) => value.authMethod !== 'client_secret_basic' || Boolean(value.clientSecret), {
        message: 'clientSecret is required with client_secret_basic',
        path: ['clientSecret'],
      })
      .refine((value) => value.authMethod !== 'private_key_jwt' || Boolean(value.privateKeyFile), {
        message: 'privateKeyFile is required with private_key_jwt',
        path: ['privateKeyFile'],
      }),
    limits: z
      .object({
        /** Deepest field nesting. Default 15. */
        maxDepth: limit.default(15),
        /** Most fields in one selection set. Default 100. */
        maxBreadth: limit.default(100),
        /** Most aliased fields (after fragment expansion). Default 30. */
        maxAliases: limit.default(30),
        /** Most fields after fragment expansion (fragment bombs). Default 1000. */
        maxFields: limit.default(1000),
        /** Most lexical tokens in the query text; parsing stops there. Default 5000. */
        maxTokens: limit.default(5000),
        /** Largest `variables` (JSON bytes). Default 64 KiB. */
        maxVariablesBytes: limit.default(64 * 1024),
        /** Most operations in a batched (JSON array) request; 1 turns batching off. Default 1. */
        maxBatchSize: limit.default(1),
        /** allow or deny __schema/__type. Default: allow in development mode, deny in production. */
        introspection: z.enum(['allow', 'deny']).optional(),
        /** Highest estimated cost of an operation (demand control; README "Request limits"). Default 50000. */
        maxCost: limit.default(50_000),
        /** Assumed size of a list field that declares none and has no slicing argument. Default 10. */
        defaultListSize: limit.default(10),
        /** Assumed sizes per list field (`Type.field: size`), over the default. Default none. */
        listSizes: z.record(z.string().regex(/^\w+\.\w+$/, 'a field coordinate, Type.field'), z.coerce.number().int().min(0)).default({}),
        /** Largest response the router builds (bytes). Default 16 MiB. */
        maxResponseBytes: limit.default(16 * 1024 * 1024),
        /** Most requests one subject may have in flight; more are refused with 429. Default 32. */
        maxConcurrentPerSubject: limit.default(32),
      })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        /** Serve GET /metrics on its own listener instead of the router's (e.g. an internal interface). Default: the router's. */
        listen: z.object({ host: z.string().min(1).default('127.0.0.1'), port }).strict().optional(),
        /** Require `Authorization: Bearer <token>` for GET /metrics. Default: none. */
        bearerToken: z.string().min(16, 'at least 16 characters').optional(),
        /** Prefix of Node's default metrics (process_cpu_seconds_total...); the router's own are always deputy_. Default: none. */
        prefix: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name prefix').optional(),
        /** Distinct operation names the request histogram labels; later names are __other__. Default 100. */
        maxOperationNames: limit.default(100),
        /** Distinct client ids the request histogram labels; later ids are __other__. Default 100. */
        maxClientIds: limit.default(100),
      })
      .strict()
      .prefault({}),
    console: z
      .object({
        /** Serve the web console at GET / (built by `npm run build:console`). Default: on in development mode, off in production. */
        enabled: flag.optional(),
      })
      .strict()
      .prefault({}),
    trace: z
      .object({
        /** Who gets a delegation trace on request: never, callers holding `scope` (default), or always (development). */
        policy: z.enum(['never', 'scope', 'always']).default('scope'),
        /** The scope that allows a trace under the `scope` policy. Default trace:read. */
        scope: z.string().min(1).default('trace:read'),
      })
      .strict()
      .prefault({}),
    broker: z
      .object({
        /** Most actors an issued token's act chain may hold; deeper chains are refused. Default 3. */
        maxDepth: z.coerce.number().int().min(2).default(3),
        /** Timeout of the call to the target. Default 10000 ms. */
        timeoutMs: positiveMs.default(10_000),
        /** Services allowed to ask the broker, by client id: their own subgraph and, per target, the scopes they may ask for. */
        callers: z
          .record(
            z.string(),
            z.object({ subgraph: z.string().min(1), targets: z.record(z.string(), z.array(z.string().min(1))) }).strict(),
          )
          .default({}),
      })
      .strict()
      .prefault({}),
    shared: z
      .object({
        /** Redis for state shared by several router instances (published schema; see README). Default: none, all in memory. */
        redisUrl: z.string().min(1).optional(),
        /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. Default deputy:. */
        keyPrefix: z.string().default('deputy:'),
        /** AES-256-GCM key (32 bytes, base64) sealing tokens cached in Redis; use ${ENV_VAR}. */
        tokenEncryptionKey: z.string().optional(),
        /** Longest wait for one Redis command; a slow Redis delays a request by at most this. Default 200 ms. */
        commandTimeoutMs: positiveMs.default(200),
        /** Keep the router not ready (GET /health/ready 503) while Redis is away. Default false: it serves, degraded. */
        required: flag.default(false),
      })
      .strict()
      .prefault({}),
    admin: z
      .object({
        /** The `aud` of tokens for the admin API (schema publishing). Default deputy-admin. */
        audience: z.string().min(1).default('deputy-admin'),
        /** The scope a publish needs. Default schema:publish. */
        publishScope: z.string().min(1).default('schema:publish'),
        /** Team client id -> the subgraph it may publish. Default: <subgraph>-team publishes <subgraph>. */
        teams: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .prefault({}),
    audit: z
      .object({
        /** Where audit events go: stdout (default), a file (JSON lines), or a Redis Stream (<keyPrefix>audit). */
        sink: z.enum(['stdout', 'file', 'redis']).default('stdout'),
        /** The file for the file sink. */
        file: z.string().optional(),
        /** Redis sink: events held while Redis is away. Default 10000. */
        maxBuffered: limit.default(10_000),
        /** Redis sink: a local JSON-lines file for events beyond the buffer and those left at shutdown. Default: none (they are dropped, counted in deputy_audit_dropped_total). */
        fallbackFile: z.string().optional(),
      })
      .strict()
      .prefault({})
      .refine((value) => value.sink !== 'file' || Boolean(value.file), { message: 'file is required with the file sink', path: ['file'] }),
    telemetry: z
      .object({
        /** OTLP/HTTP traces endpoint (e.g. http://127.0.0.1:4318/v1/traces). Default: off. */
        otlpEndpoint: z.url().optional(),
        /** service.name of the spans and exported metrics. Default deputy-router. */
        serviceName: z.string().min(1).default('deputy-router'),
        /** Headers sent with every OTLP export, traces and metrics (e.g. an API key: use ${ENV_VAR}). Default: none. */
        otlp: z.object({ headers: z.record(z.string(), z.string()).default({}) }).strict().prefault({}),
        sampling: z
          .object({
            /** Share of new traces sampled (parent-based: an incoming traceparent's decision is kept). Default 1. */
            ratio: z.coerce.number().min(0).max(1).default(1),
          })
          .strict()
          .prefault({}),
        metrics: z
          .object({
            otlp: z
              .object({
                /** OTLP/HTTP metrics endpoint (e.g. http://127.0.0.1:4318/v1/metrics): GET /metrics's series, pushed. Default: off. */
                endpoint: z.url().optional(),
                /** Headers of the metrics export, over telemetry.otlp.headers. Default: none. */
                headers: z.record(z.string(), z.string()).default({}),
                /** Time between two exports. Default 60000 ms. */
                exportIntervalMs: positiveMs.default(60_000),
              })
              .strict()
              .prefault({}),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    subgraphs: z.record(z.string(), subgraphSchema).default({}),
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
