const URL_VARIABLE = /^DEPUTY_SUBGRAPH_([A-Z0-9_]+)_URL$/;

/**
 * Reads subgraph URL overrides: DEPUTY_SUBGRAPH_<NAME>_URL (name upper-cased) replaces
 * that subgraph's routing URL from the supergraph.
 */
export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = URL_VARIABLE.exec(key);
    if (match && value) urls[match[1].toLowerCase()] = value;
  }
  return urls;
}
