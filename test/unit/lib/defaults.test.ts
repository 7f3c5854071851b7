import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, portFor } from '../../../lib/defaults.js';

describe('portFor', () => {
  it('uses the public default when the variable is unset', () => {
    expect(portFor('router', {})).toBe(DEFAULT_PORTS.router);
    expect(portFor('reviews', {})).toBe(4014);
  });

  it('uses DEPUTY_<PART>_PORT when set', () => {
    expect(portFor('accounts', { DEPUTY_ACCOUNTS_PORT: '5011' })).toBe(5011);
  });

  it('rejects a value that is not a port, naming the variable', () => {
    expect(() => portFor('router', { DEPUTY_ROUTER_PORT: 'eighty' })).toThrow(/DEPUTY_ROUTER_PORT must be a port number/);
    expect(() => portFor('router', { DEPUTY_ROUTER_PORT: '70000' })).toThrow(/DEPUTY_ROUTER_PORT/);
  });
});
