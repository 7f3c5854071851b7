import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createSwallowedErrors } from '../../../router/observability/swallowedErrors.js';
import { captureLogger } from '../../helpers/captureLogger.js';

async function countOf(registry: Registry, kind: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'deputy_swallowed_errors_total');
  return (metric?.values.find((v) => v.labels.kind === kind)?.value as number | undefined) ?? 0;
}

describe('errors the router carries on after', () => {
  it('logs the first failure of a kind once and counts every failure', async () => {
    const { logger, lines } = captureLogger();
    const registry = new Registry();
    const errors = createSwallowedErrors(logger, registry);
    for (let i = 0; i < 5; i++) errors.failed('audit_sink', new Error('Redis command failed: no answer within 50 ms'));
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 40, kind: 'audit_sink', error: { name: 'Error', message: 'Redis command failed: no answer within 50 ms' } });
    expect(await countOf(registry, 'audit_sink')).toBe(5);
  });

  it('logs the recovery once, with how many failures went unlogged, and logs the next outage again', () => {
    const { logger, lines } = captureLogger();
    const errors = createSwallowedErrors(logger);
    errors.recovered('redis'); // never failed: nothing to say
    errors.failed('redis', new Error('down'));
    errors.failed('redis', new Error('down'));
    errors.failed('redis', new Error('down'));
    errors.recovered('redis');
    errors.recovered('redis');
    errors.failed('redis', new Error('down again'));
    expect(lines().map((line) => [line.level, line.kind, line.unlogged])).toEqual([
      [40, 'redis', undefined],
      [30, 'redis', 2],
      [40, 'redis', undefined],
    ]);
    expect((lines()[2].error as { message: string }).message).toBe('down again');
  });

  it('keeps each kind apart: one failing kind does not silence another', () => {
    const { logger, lines } = captureLogger();
    const errors = createSwallowedErrors(logger);
    errors.failed('token_store', new Error('a'));
    errors.failed('token_prefetch', new Error('b'));
    errors.failed('token_store', new Error('c'));
    expect(lines().map((line) => line.kind)).toEqual(['token_store', 'token_prefetch']);
  });

  it('logs no stack, only the name, code and message of what failed', () => {
    const { logger, text } = captureLogger();
    const error = Object.assign(new Error('Redis at 127.0.0.1:6390 is not connected'), { code: 'REDIS_UNAVAILABLE' });
    createSwallowedErrors(logger).failed('redis', error);
    expect(text()).toContain('"code":"REDIS_UNAVAILABLE"');
    expect(text()).not.toContain('stack');
    expect(text()).not.toContain('    at ');
  });
});
