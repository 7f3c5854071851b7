import { describe, expect, it } from 'vitest';
import { BROKER_URL, echo, fakeBroker, refusal, reviewsCall, type Answer } from './fakeBroker.js';

/** Answers from a script, one per /delegate request, the last one repeated. */
const scripted = (...answers: Answer[]) => {
  let next = 0;
  return () => answers[Math.min(next++, answers.length - 1)];
};
const mutation = reviewsCall('alice', '1', 'mutation($id: ID!) { deleteReview(id: $id) }');
const down = () => new TypeError('fetch failed: connect ECONNREFUSED');

describe('the broker client retries a query once on a transient failure', () => {
  it.each([
    ['an unreachable broker', down()],
    ['503 DELEGATION_UNAVAILABLE', refusal(503, 'DELEGATION_UNAVAILABLE')],
    ['502 TARGET_FAILED', refusal(502, 'TARGET_FAILED', 'timeout')],
  ])('retries a query once after %s, and answers the second try', async (_, failure) => {
    const answer = scripted(failure, { status: 200, body: { data: { ok: true } } });
    const { client, delegations } = fakeBroker(answer);
    await expect(client.delegate(reviewsCall('alice', '1'))).resolves.toEqual({ data: { ok: true } });
    expect(delegations()).toHaveLength(2);
  });

  it('retries only once: a second transient failure is the call’s coded error', async () => {
    const { client, delegations } = fakeBroker(() => refusal(503, 'DELEGATION_UNAVAILABLE'));
    await expect(client.delegate(reviewsCall('alice', '1'))).rejects.toMatchObject({ code: 'DELEGATION_UNAVAILABLE', status: 503 });
    expect(delegations()).toHaveLength(2);
  });

  it('never sends a mutation twice', async () => {
    const { client, delegations } = fakeBroker(scripted(refusal(502, 'TARGET_FAILED', 'timeout'), { status: 200, body: { data: {} } }));
    await expect(client.delegate(mutation)).rejects.toMatchObject({ code: 'TARGET_FAILED' });
    expect(delegations()).toHaveLength(1);
  });

  it.each([
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHENTICATED'],
    [403, 'DELEGATION_DENIED'],
    [404, 'UNKNOWN_TARGET'],
  ])('does not retry a %i %s: the answer stays', async (status, code) => {
    const { client, delegations } = fakeBroker(() => refusal(status, code));
    await expect(client.delegate(reviewsCall('alice', '1'))).rejects.toMatchObject({ code, status });
    expect(delegations()).toHaveLength(1);
  });

  it('does not retry an answer over the target’s size cap (it would be as large again)', async () => {
    const { client, delegations } = fakeBroker(() => refusal(502, 'TARGET_FAILED', 'response_too_large'));
    await expect(client.delegate(reviewsCall('alice', '1'))).rejects.toMatchObject({ code: 'TARGET_FAILED', reason: 'response_too_large' });
    expect(delegations()).toHaveLength(1);
  });

  it('retries only the operations of a batch that failed transiently', async () => {
    let call = 0;
    const { client, delegations } = fakeBroker((request) => {
      call += 1;
      if (call > 1) return echo(request);
      return { status: 200, body: { results: [{ status: 200, body: { data: { first: true } } }, refusal(502, 'TARGET_FAILED', 'timeout')] } };
    });
    const answers = await Promise.all([client.delegate(reviewsCall('alice', '1')), client.delegate(reviewsCall('alice', '2'))]);
    expect(answers).toEqual([{ data: { first: true } }, { data: { echo: { id: '2' } } }]);
    expect(delegations()[1]).toMatchObject({ request: { variables: { id: '2' } } });
  });
});

describe('the broker client’s circuit breaker', () => {
  it('opens after consecutive sends the broker did not answer, then fails at once with BROKER_UNAVAILABLE', async () => {
    const { client, seen } = fakeBroker(() => down(), { circuit: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 } });
    // A query is sent twice (one retry): the first call makes two failures, the second's first try the third.
    await expect(client.delegate(reviewsCall('alice', '1'))).rejects.toMatchObject({ code: 'BROKER_UNREACHABLE' });
    await expect(client.delegate(reviewsCall('alice', '2'))).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE', status: 503 });
    const sent = seen.filter((request) => request.url === BROKER_URL).length;
    await expect(client.delegate(reviewsCall('alice', '3'))).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect(seen.filter((request) => request.url === BROKER_URL)).toHaveLength(sent);
  });

  it('does not open on refusals or target failures: the broker answered', async () => {
    const { client, delegations } = fakeBroker(() => refusal(403, 'DELEGATION_DENIED'), { circuit: { consecutiveFailures: 1 } });
    for (const id of ['1', '2', '3']) await expect(client.delegate(reviewsCall('alice', id))).rejects.toMatchObject({ code: 'DELEGATION_DENIED' });
    expect(delegations()).toHaveLength(3);
  });

  it('fails with BROKER_UNAVAILABLE and exchanges nothing when the circuit is open and the fallback is off (the default)', async () => {
    const { client, seen } = fakeBroker(() => down(), { circuit: { consecutiveFailures: 1 } });
    await expect(client.delegate(reviewsCall('alice', '1'))).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    expect(seen.filter((request) => request.body.includes('token-exchange'))).toEqual([]);
  });
});
