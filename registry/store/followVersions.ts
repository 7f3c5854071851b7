import pg from 'pg';

const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 5000;

/**
 * LISTENs on `channel` on a connection of its own and calls `listener` with each announced
 * version. The connection may break (PostgreSQL restarted, network): it is opened again with
 * backoff, and after every reconnection the current version is read and announced, so a version
 * made current while away is never missed. Resolves once listening; resolves to the stop function.
 */
export async function followVersions(
  url: string,
  channel: string,
  listener: (version: number) => void,
  currentVersion: () => Promise<number | undefined>,
  onError: (error: Error) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;

  const announce = (payload: string | undefined) => {
    const version = Number(payload);
    if (Number.isInteger(version) && version > 0) listener(version);
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    next.on('notification', (message) => {
      if (message.channel === channel) announce(message.payload);
    });
    next.on('error', (error) => {
      onError(error);
      dropped(next);
    });
    next.on('end', () => dropped(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    client = next;
    retryMs = FIRST_RETRY_MS;
  };
  const reconnectLater = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().then(
        () => currentVersion().then((version) => announce(String(version)), onError),
        (error: unknown) => {
          onError(error as Error);
          retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
          reconnectLater();
        },
      );
    }, retryMs);
    timer.unref();
  };
  // Only the connection in use counts: a failed attempt's own events change nothing.
  const dropped = (broken: pg.Client) => {
    if (client !== broken) return;
    client = undefined;
    void broken.end().catch(() => undefined);
    reconnectLater();
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const open = client;
    client = undefined;
    await open?.end().catch(() => undefined);
  };
}
