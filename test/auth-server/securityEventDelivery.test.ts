import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth, type TestAuth } from '../helpers/startAuth.js';
import { startSetReceiver, type SetReceiver } from '../helpers/setReceiver.js';
import { revoke } from '../helpers/revocationClient.js';
import { freePort } from '../helpers/freePort.js';
import { DEFAULT_RETRY } from '../../auth-server/securityEvents/pushSecurityEvent.js';
import type { DeliveryAuditEvent } from '../../auth-server/auditEvents.js';

// Push delivery (RFC 8935) when receivers misbehave: a revocation never waits for them, a receiver
// that is down or failing is retried a bounded number of times, and one that refuses is not retried.

describe('security event delivery to receivers that fail', () => {
  let auth: TestAuth;
  let failing: SetReceiver;
  let refusing: SetReceiver;
  let closedUrl: string;
  const outcomes = () => auth.audit.filter((event): event is DeliveryAuditEvent => event.event === 'set.delivery');
  const outcomeOf = (receiver: string) => outcomes().find((event) => event.receiver === receiver);

  beforeAll(async () => {
    failing = await startSetReceiver(() => ({ status: 503 }));
    refusing = await startSetReceiver(() => ({ status: 400, body: { err: 'invalid_audience', description: 'not for us' } }));
    // A port nothing listens on: every connection is refused.
    closedUrl = `http://127.0.0.1:${await freePort()}/events`;
    auth = await startAuth({
      ssfReceivers: [
        { audience: 'failing', url: failing.url },
        { audience: 'down', url: closedUrl },
        { audience: 'refusing', url: refusing.url },
      ],
    });
  });
  afterAll(async () => {
    await auth?.stop();
    await Promise.all([failing?.stop(), refusing?.stop()]);
  });

  it('answers the revocation at once, retries a failing or unreachable receiver a bounded number of times, and never retries a refusal', async () => {
    const token = await auth.userToken('kamilkisiela');

    const response = await revoke(auth.issuer, { token }, { publicId: 'web-app' });

    expect(response.status).toBe(200);
    // Answered before any retry could end: a failed outcome is audited only after every backoff delay.
    expect(outcomeOf('failing')).toBeUndefined();
    expect(outcomeOf('down')).toBeUndefined();
    await expect.poll(() => outcomes().length, { timeout: 10_000 }).toBe(3);
    expect(failing.requests).toHaveLength(DEFAULT_RETRY.attempts);
    expect(outcomeOf('failing')).toMatchObject({ outcome: 'failed', attempts: DEFAULT_RETRY.attempts, status: 503, error: 'status 503' });
    expect(outcomeOf('down')).toMatchObject({ outcome: 'failed', attempts: DEFAULT_RETRY.attempts, error: 'ECONNREFUSED', url: closedUrl });
    expect(refusing.requests).toHaveLength(1);
    expect(outcomeOf('refusing')).toMatchObject({ outcome: 'refused', attempts: 1, status: 400, error: 'invalid_audience', description: 'not for us' });
    // Every attempt carried the same SET: a retry is the same event, not a new one.
    expect(new Set(failing.requests.map((request) => request.body)).size).toBe(1);
    expect(new Set(outcomes().map((event) => event.txn)).size).toBe(1);
  });
});
