/** A receiver of security events: the `aud` its SETs carry and the URL they are pushed to. */
export interface SsfReceiver {
  audience: string;
  url: string;
}

/**
 * Parses DEPUTY_SSF_RECEIVERS: comma-separated `audience=url` entries, e.g.
 * `deputy-router=http://127.0.0.1:4000/events,products=http://127.0.0.1:4012/events`. Empty or
 * unset: no receiver. An audience may repeat (several instances of one router); a bad entry
 * fails start-up naming it by position, never echoing a URL that might hold credentials.
 */
export function parseReceivers(raw: string | undefined, variable = 'DEPUTY_SSF_RECEIVERS'): SsfReceiver[] {
  const entries = (raw ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  const receivers = entries.map((entry, index) => {
    const at = `${variable}: entry ${index + 1}`;
    const equals = entry.indexOf('=');
    const audience = entry.slice(0, Math.max(equals, 0)).trim();
    if (equals < 0 || !audience) throw new Error(`${at} must be audience=url`);
    let url: URL;
    try {
      url = new URL(entry.slice(equals + 1).trim());
    } catch {
      throw new Error(`${at} (${audience}) has no valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${at} (${audience}) must be an http or https URL`);
    if (url.username || url.password) throw new Error(`${at} (${audience}) may not carry credentials in its URL`);
    return { audience, url: url.toString() };
  });
  const seen = new Set<string>();
  for (const receiver of receivers) {
    const key = `${receiver.audience} ${receiver.url}`;
    if (seen.has(key)) throw new Error(`${variable}: ${receiver.audience} at the same URL is listed twice`);
    seen.add(key);
  }
  return receivers;
}
