import { SecurityEventError } from '../../lib/securityEvents/securityEventError.js';

/** Reads a Fetch API request's body as UTF-8, refusing it (413) once it exceeds `limitBytes`, without reading further. */
export async function readFetchBody(request: Request, limitBytes: number): Promise<string> {
  const tooLarge = () => new SecurityEventError('invalid_request', `the body exceeds ${limitBytes} bytes`, 413);
  if (Number(request.headers.get('content-length') ?? 0) > limitBytes) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch {
      throw new SecurityEventError('invalid_request', 'the body could not be read');
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
