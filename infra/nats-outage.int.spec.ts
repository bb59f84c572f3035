import { spawn, type ChildProcess } from 'node:child_process';
import { connectNats } from './nats';
import { freeLoopbackPort } from './temporal-runtime';
import { isListening, waitFor } from './stack/probe';

/**
 * A nats-server of the test's own (the machine's is never stopped) goes down for longer than the
 * client's default reconnect budget (10 attempts, about 20 s): a connection from connectNats must
 * come back with it, not stay closed for good as the default one does.
 */
describe('connectNats across a NATS outage', () => {
  let server: ChildProcess | undefined;
  const start = async (port: number) => {
    server = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await waitFor('nats-server', () => isListening('127.0.0.1', port, 300), 20_000);
  };
  const stop = async () => {
    const s = server;
    if (!s || s.exitCode !== null || s.signalCode !== null) return;
    const gone = new Promise((r) => s.once('exit', r));
    s.kill('SIGKILL');
    await gone;
  };
  afterAll(stop);

  it('reconnects after 25 s down and carries messages again', async () => {
    const port = await freeLoopbackPort();
    await start(port);
    const nc = await connectNats(`nats://127.0.0.1:${port}`, 'tuopin-outage-test');
    try {
      await stop();
      await new Promise((r) => setTimeout(r, 25_000));
      expect(nc.isClosed()).toBe(false);
      await start(port);
      let received = 0;
      nc.subscribe('outage.test', {
        callback: () => {
          received += 1;
        },
      });
      await waitFor(
        'the reconnect',
        async () => {
          nc.publish('outage.test', 'back');
          await nc.flush().catch(() => undefined);
          return received > 0;
        },
        20_000,
      );
      expect(received).toBeGreaterThan(0);
    } finally {
      await nc.close();
    }
  }, 90_000);
});
