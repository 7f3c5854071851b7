import { request } from 'node:http';

/**
 * POSTs with raw header pairs, repeated names kept as separate lines (fetch would merge
 * them), and no client-side size checks.
 */
export function rawPost(url: string, headers: [string, string][], body: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const flat = [['host', new URL(url).host], ['content-type', 'application/json'], ['content-length', String(Buffer.byteLength(body))], ...headers].flat();
    const req = request(url, { method: 'POST', headers: flat }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
