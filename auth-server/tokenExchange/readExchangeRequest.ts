import { errors } from 'oidc-provider';
import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE } from './tokenTypes.js';

/** The token-endpoint parameters of RFC 8693 §2.1. */
export const EXCHANGE_PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
] as const;

/** RFC 8693 §2.1 lets a client name several audiences/resources; every other parameter is single. */
export const REPEATABLE_PARAMETERS = ['audience', 'resource'] as const;

/** A token-exchange request whose shape has been checked. */
export interface ExchangeRequest {
  subjectToken: string;
  actorToken?: string;
  audiences: string[];
  resources: string[];
  /** Requested scopes, or undefined when the client asked for none in particular. */
  scopes?: string[];
}

type Params = Record<string, unknown>;

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string' && item !== '');
}

function requireTokenType(params: Params, name: 'subject_token_type' | 'actor_token_type'): void {
  const type = params[name];
  if (type === undefined || type === '') throw new errors.InvalidRequest(`missing required parameter '${name}'`);
  if (type !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest(`unsupported ${name}; only ${ACCESS_TOKEN_TYPE} is accepted`);
  }
}

/** Checks presence and types of the RFC 8693 parameters (errors are `invalid_request`). */
export function readExchangeRequest(params: Params): ExchangeRequest {
  if (typeof params.subject_token !== 'string' || params.subject_token === '') {
    throw new errors.InvalidRequest("missing required parameter 'subject_token'");
  }
  requireTokenType(params, 'subject_token_type');
  const hasActor = params.actor_token !== undefined && params.actor_token !== '';
  // RFC 8693 §2.1: actor_token_type is REQUIRED when actor_token is present and MUST NOT be included otherwise.
  if (hasActor) requireTokenType(params, 'actor_token_type');
  else if (params.actor_token_type !== undefined) {
    throw new errors.InvalidRequest("'actor_token_type' must not be sent without 'actor_token'");
  }
  const requested = params.requested_token_type;
  if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE && requested !== JWT_TOKEN_TYPE) {
    throw new errors.InvalidRequest('unsupported requested_token_type; this server issues access tokens');
  }
  const scope = typeof params.scope === 'string' ? params.scope.split(' ').filter(Boolean) : undefined;
  return {
    subjectToken: params.subject_token,
    actorToken: hasActor ? String(params.actor_token) : undefined,
    audiences: list(params.audience),
    resources: list(params.resource),
    scopes: scope,
  };
}
