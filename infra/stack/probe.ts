import net from 'node:net';

/** True when something accepts TCP connections at host:port within the timeout. */
export const isListening = (host: string, port: number, timeoutMs = 1000): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

export class StackError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StackError';
  }
}

/**
 * Polls `check` until it answers true or the deadline passes: a readiness wait, not a sleep.
 * The last failure's message is kept so the timeout says why.
 */
export const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs: number, onWait?: (elapsedMs: number) => void): Promise<void> => {
  const started = Date.now();
  let delay = 100;
  for (;;) {
    if (await check()) return;
    const elapsed = Date.now() - started;
    if (elapsed > timeoutMs) throw new StackError('STACK_TIMEOUT', `${what} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
    onWait?.(elapsed);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
};

export const hostPort = (url: string, defaultPort: number): { host: string; port: number } => {
  const u = new URL(url);
  return { host: u.hostname, port: u.port ? Number(u.port) : defaultPort };
};
