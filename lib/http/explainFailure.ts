/**
 * Says which server could not be reached, and where, when fetch failed to connect ("fetch
 * failed" alone names neither); any other error keeps its own message.
 */
export function explainFailure(error: unknown, what: string, url: string): string {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  if (error instanceof TypeError && error.message === 'fetch failed') return `cannot reach ${what} at ${url}${cause ? ` (${cause})` : ''}; is it running (npm start)?`;
  return (error as Error).message;
}
