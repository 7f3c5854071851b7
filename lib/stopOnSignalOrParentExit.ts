/**
 * Stops a server on SIGINT/SIGTERM, and also when the parent that spawned this process
 * over IPC goes away (even if it was killed outright), so no orphan keeps a port.
 */
export function stopOnSignalOrParentExit(stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    const exit = () => process.exit(0);
    stop().then(exit, exit);
    // A stuck connection must not keep the process alive forever.
    setTimeout(exit, 10_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (process.send) process.once('disconnect', shutdown);
}
