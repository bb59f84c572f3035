import { Runtime } from '@temporalio/worker';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { runUntilSignalled } from './main';

describe('stopping on SIGINT or SIGTERM', () => {
  it('stops a worker signalled while it was starting, once it has started', async () => {
    let started!: () => void;
    const starting = new Promise<void>((resolve) => (started = resolve));
    let stops = 0;
    const run = runUntilSignalled(async () => {
      await starting;
      return { running: new Promise<void>(() => undefined), stop: async () => void stops++ };
    });
    process.emit('SIGTERM', 'SIGTERM');
    started();
    await run;
    expect(stops).toBe(1);
  });

  it('rejects when a Temporal worker fails on its own, without a signal', async () => {
    const failure = new Error('worker failed');
    await expect(runUntilSignalled(async () => ({ running: Promise.reject(failure), stop: async () => undefined }))).rejects.toBe(failure);
    // The handlers stay for the process's life; this spec's later signals find them.
    process.emit('SIGINT', 'SIGINT');
  });

  it("leaves the signals to the worker's own handlers: the SDK's runtime listens to none", async () => {
    const before = ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'].map((s) => process.listenerCount(s));
    installTemporalRuntime();
    expect(Runtime.instance().options.shutdownSignals).toEqual([]);
    expect(['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'].map((s) => process.listenerCount(s))).toEqual(before);
    // Its native side would keep the test process alive.
    await Runtime.instance().shutdown();
  });
});
