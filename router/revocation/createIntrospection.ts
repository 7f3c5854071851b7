import type { Introspection } from '../edge/authenticateCaller.js';
import { InvalidTokenError } from '../../lib/tokenRejection.js';
import { introspectToken, type IntrospectionClient } from './introspectToken.js';
import { introspectedIdentity, type IntrospectionPolicy } from './introspectedIdentity.js';

interface Answer {
  answer: Record<string, unknown>;
  until: number;
}

const MAX_ENTRIES = 10_000;

/**
 * RFC 7662 introspection at the edge, each answer reused for `cacheSeconds` (never past the
 * token's `exp`) under the token's key, never the token; concurrent requests with one token
 * share one call. An unavailable endpoint is not remembered: the next request asks again.
 */
export function createIntrospection(client: IntrospectionClient, policy: IntrospectionPolicy, cacheSeconds: number): Introspection {
  const answers = new Map<string, Answer>();
  const inFlight = new Map<string, Promise<Record<string, unknown>>>();

  const remember = (key: string, answer: Record<string, unknown>) => {
    const exp = typeof answer.exp === 'number' ? answer.exp * 1000 : Number.POSITIVE_INFINITY;
    const until = Math.min(Date.now() + cacheSeconds * 1000, exp);
    if (until <= Date.now()) return;
    answers.delete(key);
    answers.set(key, { answer, until });
    if (answers.size > MAX_ENTRIES) answers.delete(answers.keys().next().value as string);
  };
  const answerFor = async (token: string, key: string): Promise<Record<string, unknown>> => {
    const cached = answers.get(key);
    if (cached && cached.until > Date.now()) return cached.answer;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = introspectToken(client, token).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    const answer = await pending;
    remember(key, answer);
    return answer;
  };
  return {
    async confirmActive(token, key) {
      if ((await answerFor(token, key)).active !== true) throw new InvalidTokenError('token_revoked');
    },
    async identify(token, key) {
      return introspectedIdentity(await answerFor(token, key), policy);
    },
  };
}
