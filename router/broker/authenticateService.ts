import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../../lib/http/bearerToken.js';
import { InvalidTokenError, verifyAccessToken, type AccessTokenPolicy, type VerifiedToken } from '../../lib/verifyAccessToken.js';
import { brokerRefusal } from './brokerRefusal.js';
import { ErrorCode } from '../../lib/errors/errorCodes.js';

/**
 * The calling service, authenticated by the client-credentials token it got from the
 * authorization server for the router (`sub` = `client_id` = its client id), and registered
 * as a broker caller. Anything else is 401 UNAUTHENTICATED.
 */
export async function authenticateService(req: IncomingMessage, policy: AccessTokenPolicy, registered: (clientId: string) => boolean): Promise<VerifiedToken & { token: string }> {
  try {
    const token = bearerToken(req);
    if (!token) throw new InvalidTokenError('missing_token');
    const verified = await verifyAccessToken(token, policy);
    if (verified.sub !== verified.clientId || !registered(verified.clientId)) throw new InvalidTokenError('not_a_service');
    return { ...verified, token };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw brokerRefusal(401, ErrorCode.UNAUTHENTICATED, `The calling service is not authenticated: ${error.description}`, { reason: error.reason });
    throw error;
  }
}
