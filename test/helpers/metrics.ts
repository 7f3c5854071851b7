/** Reads one sample of a Prometheus text exposition, e.g. value(text, 'deputy_token_requests_total{result="exchanged"}'). */
export function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
