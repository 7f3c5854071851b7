import { describe, expect, it } from 'vitest';
import { echo, fakeBroker, reviewsCall } from './fakeBroker.js';

describe('the broker client batches calls made in one tick', () => {
  it('sends one user’s calls to one target within a tick as one /delegate request, and answers each call its own result', async () => {
    const { client, delegations } = fakeBroker(echo);
    const answers = await Promise.all(['1', '2', '3'].map((id) => client.delegate({ ...reviewsCall('alice', id), field: `users.${id}.reviewCount` })));
    expect(answers.map((answer) => answer.data)).toEqual([{ echo: { id: '1' } }, { echo: { id: '2' } }, { echo: { id: '3' } }]);
    expect(delegations()).toHaveLength(1);
    expect(delegations()[0]).toMatchObject({ subjectToken: 'token-of-alice', target: 'reviews', scopes: ['reviews:read'] });
    expect((delegations()[0].requests as { field: string }[]).map((request) => request.field)).toEqual(['users.1.reviewCount', 'users.2.reviewCount', 'users.3.reviewCount']);
  });

  it('never puts two users’ calls in one request: the broker acts for one subject per request', async () => {
    const { client, delegations } = fakeBroker(echo);
    await Promise.all([client.delegate(reviewsCall('alice', '1')), client.delegate(reviewsCall('bob', '2')), client.delegate(reviewsCall('alice', '3'))]);
    const subjects = delegations().map((body) => body.subjectToken);
    expect(subjects.sort()).toEqual(['token-of-alice', 'token-of-bob']);
  });

  it('sends a single call in the single form, and calls of later ticks in requests of their own', async () => {
    const { client, delegations } = fakeBroker(echo);
    await client.delegate(reviewsCall('alice', '1'));
    await client.delegate(reviewsCall('alice', '2'));
    expect(delegations().map((body) => [body.request !== undefined, body.requests !== undefined])).toEqual([
      [true, false],
      [true, false],
    ]);
  });

  it('sends a mutation alone, even beside queries of the same tick', async () => {
    const { client, delegations } = fakeBroker(echo);
    const mutation = { ...reviewsCall('alice', '9', 'mutation($id: ID!) { deleteReview(id: $id) }'), scopes: ['reviews:read'] };
    await Promise.all([client.delegate(reviewsCall('alice', '1')), client.delegate(mutation), client.delegate(reviewsCall('alice', '2'))]);
    expect(delegations().map((body) => (body.requests as unknown[] | undefined)?.length ?? 1).sort()).toEqual([1, 2]);
  });

  it('splits a tick’s calls into batches of at most maxBatchSize', async () => {
    const { client, delegations } = fakeBroker(echo, { maxBatchSize: 2 });
    await Promise.all(['1', '2', '3'].map((id) => client.delegate(reviewsCall('alice', id))));
    expect(delegations()).toHaveLength(2);
  });

  it('gives one failed operation of a batch its own coded error, and the others their answers', async () => {
    const { client } = fakeBroker((request) => {
      const body = JSON.parse(request.body) as { requests: unknown[] };
      return { status: 200, body: { results: [{ status: 200, body: { data: { ok: true } } }, { status: 400, body: { errors: [{ message: 'invalid', extensions: { code: 'BAD_REQUEST' } }] } }].slice(0, body.requests.length) } };
    });
    const [first, second] = await Promise.allSettled([client.delegate(reviewsCall('alice', '1')), client.delegate(reviewsCall('alice', '2'))]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { data: { ok: true } } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'BAD_REQUEST', status: 400 } });
  });
});
