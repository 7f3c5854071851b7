import type { ConsoleSettings } from '../../router/publishedTypes.js';

/** What the router tells its console (GET /console/config.json). */
export type ConsoleConfig = ConsoleSettings;

/** Loads the console's settings from the router that serves it. */
export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/console/config.json');
  if (!response.ok) throw new Error(`The router did not give the console its settings (HTTP ${response.status})`);
  return (await response.json()) as ConsoleConfig;
}
