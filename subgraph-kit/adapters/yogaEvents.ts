import type { SecurityEventReceiver } from '../events/createEventReceiver.js';

/** The GraphQL Yoga plugin useSecurityEvents returns (typed by the hook it uses, so the kit loads without graphql-yoga). */
export interface SecurityEventsYogaPlugin {
  onRequest(payload: { request: Request; endResponse(response: Response): void }): Promise<void>;
}

/**
 * Serves the issuer's security events in GraphQL Yoga: a request to `path` (default `/events`)
 * is answered by the receiver (`verifier.events`), before Yoga's own routing; any other request
 * goes on to GraphQL as usual.
 */
export function useSecurityEvents(receiver: Pick<SecurityEventReceiver, 'fetch'>, path = '/events'): SecurityEventsYogaPlugin {
  return {
    async onRequest({ request, endResponse }) {
      if (new URL(request.url).pathname !== path) return;
      endResponse(await receiver.fetch(request));
    },
  };
}
