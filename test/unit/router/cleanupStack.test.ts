import { describe, expect, it } from 'vitest';
import { CleanupStack } from '../../../router/lifecycle/cleanupStack.js';

describe('the cleanup stack of a start', () => {
  it('closes listeners first, then resources, each last-opened first, once', async () => {
    const closed: string[] = [];
    const cleanup = new CleanupStack(() => undefined);
    cleanup.resource(() => closed.push('redis'));
    cleanup.listener(() => closed.push('server'));
    cleanup.resource(async () => closed.push('audit'));
    cleanup.resource(() => closed.push('apollo'));
    cleanup.listener(() => closed.push('metrics server'));
    await cleanup.closeAll();
    await cleanup.closeAll();
    expect(closed).toEqual(['metrics server', 'server', 'apollo', 'audit', 'redis']);
  });

  it('reports a closer that fails and still runs the others', async () => {
    const closed: string[] = [];
    const failures: unknown[] = [];
    const cleanup = new CleanupStack((error) => failures.push(error));
    cleanup.resource(() => closed.push('redis'));
    cleanup.resource(() => Promise.reject(new Error('flush failed')));
    await cleanup.closeAll();
    expect(closed).toEqual(['redis']);
    expect(failures).toEqual([new Error('flush failed')]);
  });
});
