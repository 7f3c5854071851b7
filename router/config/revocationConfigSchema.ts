import { z } from 'zod';
import { flag, limit, positiveMs, stringOrList } from './configPrimitives.js';

/** `revocation`: how the router hears that its issuer revoked tokens (pushed security events, or introspection). */
export const revocationConfigSchema = z
  .object({
    events: z
      .object({
        enabled: flag.default(true).describe('Serve POST /events: the issuer pushes Security Event Tokens (RFC 8935) with CAEP session-revoked and token-claims-change events, signed with its keys.'),
        audience: stringOrList.optional().describe('The `aud` a pushed SET must carry (one of a list). Default: `auth.audience`.'),
        maxBodyBytes: limit.default(64 * 1024).describe('Largest SET accepted (64 KiB); a larger one is refused with 413.'),
      })
      .strict()
      .prefault({})
      .describe('Security events pushed by the issuer (RFC 8935 push delivery).'),
    maxTokenLifetimeSeconds: limit
      .default(86_400)
      .describe("The longest any token of the issuer lives, in seconds: a revocation is kept this long after its event (then every token it names has expired). Set it to the issuer's longest token lifetime, never less."),
    maxEntries: limit.default(100_000).describe('Most revocations held (by session and by user); beyond, the oldest are forgotten and counted (`deputy_security_events_total{outcome="overflow"}`).'),
    introspection: z
      .object({
        enabled: flag.default(false).describe("Introspect every caller token at the issuer (RFC 7662) before serving it, for issuers whose tokens are opaque or that cannot push events; the router authenticates as `exchange.clientId`, the way it does for exchanges."),
        endpoint: z.url().optional().describe("The introspection endpoint. Default: `introspection_endpoint` from the issuer's discovery document."),
        cacheSeconds: z.coerce.number().int().min(0).default(10).describe("How long an introspection's answer is reused, in seconds: a token revoked at the issuer is refused at most this long after (0: ask every time)."),
        timeoutMs: positiveMs.default(2000).describe('Timeout of one introspection, in ms; no answer refuses the request (401 `introspection_unavailable`).'),
      })
      .strict()
      .prefault({})
      .describe('RFC 7662 token introspection at the edge.'),
  })
  .strict()
  .prefault({})
  .describe('Token revocation: security events pushed by the issuer, shared by instances through `shared.redisUrl`, and optional introspection.');
