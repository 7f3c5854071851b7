/** The loopback host every part of the embedded stack binds to by default. */
export const DEFAULT_HOST = '127.0.0.1';

/** Default ports of the public contract (README.md, "Ports and environment"); each can be moved by its environment variable. */
export const DEFAULT_PORTS = {
  router: 4000,
  auth: 4010,
  accounts: 4011,
  products: 4012,
  inventory: 4013,
  reviews: 4014,
} as const;

export type StackPart = keyof typeof DEFAULT_PORTS;

/** The environment variable that sets a part's port, e.g. DEPUTY_ACCOUNTS_PORT. */
export function portVariable(part: StackPart): string {
  return `DEPUTY_${part.toUpperCase()}_PORT`;
}

/** The port a part listens on: its environment variable when set, else the default. */
export function portFor(part: StackPart, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[portVariable(part)];
  if (raw === undefined || raw === '') return DEFAULT_PORTS[part];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${portVariable(part)} must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}
