import { mulberry32, seedFromString } from '../domain/synthetic/prng';
import type { OwnServices } from './services';
import type { WorkerSlot } from './worker-slot';

/**
 * The faults of one run, drawn from the seed: when PostgreSQL restarts, when NATS goes down (and for
 * how long), when the Temporal dev server restarts, after which worker kill the rail's stretch of
 * timeouts and double confirmations begins, and the pause before each worker kill.
 */
export interface FaultPlan {
  readonly kills: number;
  /** Seconds after the faults begin. */
  readonly postgresAt: number;
  readonly natsAt: number;
  readonly natsDownSeconds: number;
  readonly temporalAt: number;
  /** The rail misbehaves from this kill on (1-based), until it has timed out and confirmed twice, each at least twice. */
  readonly railFromKill: number;
  /** Seconds a worker runs (once ready) before it is killed, one per kill. */
  readonly pauses: readonly number[];
}

/**
 * The faults fit the run: their times are drawn as shares of the reference run's length (the same
 * seed without faults), so a quick run on a quiet machine meets every fault as a slow one does (on
 * fixed times, a run of 126 s ended before its Temporal restart and twelve of its kills).
 */
export const planFaults = (seed: string, o: { kills: number; natsDownSeconds: number; referenceSeconds: number }): FaultPlan => {
  const rng = mulberry32(seedFromString(`${seed}:faults`));
  const r = Math.max(30, o.referenceSeconds);
  const share = (lo: number, hi: number) => (r * rng.int(lo, hi)) / 100;
  const postgresAt = share(10, 25);
  const natsAt = share(28, 40);
  // A kill's turn, the restarted worker's start-up included: the kills take about 60% of the reference's length.
  const turn = (0.6 * r) / Math.max(1, o.kills);
  return {
    kills: o.kills,
    postgresAt,
    natsAt,
    natsDownSeconds: o.natsDownSeconds,
    temporalAt: natsAt + o.natsDownSeconds + share(2, 8),
    railFromKill: rng.int(2, 5),
    pauses: Array.from({ length: o.kills }, () => (turn * rng.int(40, 80)) / 100),
  };
};

export interface InjectedFault {
  /** Seconds after the faults began. */
  readonly at: number;
  readonly what: string;
}

export interface FaultRun {
  readonly injected: InjectedFault[];
  /** The rail misbehaves for workers started now. */
  railStretch(): boolean;
  /** Ends the faults: NATS comes back at once if down; nothing more is injected. Resolves when every fault has ended. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const runFaults = (plan: FaultPlan, services: OwnServices, slot: WorkerSlot, rail: { observed(): Promise<{ timeouts: number; doubleConfirmations: number }> }): FaultRun => {
  const t0 = Date.now();
  const injected: InjectedFault[] = [];
  let stopped = false;
  let stretch = false;
  const note = (what: string) => injected.push({ at: (Date.now() - t0) / 1000, what });
  const until = async (seconds: number) => {
    while (!stopped && Date.now() - t0 < seconds * 1000) await sleep(Math.min(250, seconds * 1000 - (Date.now() - t0)));
  };
  let wakeNats: () => void = () => undefined;

  const kills = (async () => {
    for (let i = 0; i < plan.kills && !stopped; i++) {
      // A worker slow to come up (NATS down) is killed starting up: waiting for it would leave kills for after the run.
      await Promise.race([slot.ready(), sleep(5_000)]);
      const t = Date.now();
      while (!stopped && Date.now() - t < plan.pauses[i]! * 1000) await sleep(100);
      if (stopped) return;
      if (i + 1 === plan.railFromKill) {
        stretch = true;
        note('rail: timeouts and double confirmations armed for the workers started from now');
      }
      await slot.kill();
      note(`SIGKILL worker (${i + 1}/${plan.kills})`);
    }
  })();

  const railEnd = (async () => {
    while (!stopped) {
      await sleep(2_000);
      if (!stretch) continue;
      const o = await rail.observed().catch(() => undefined);
      if (o && o.timeouts >= 2 && o.doubleConfirmations >= 2) {
        stretch = false;
        note(`rail: stretch over after ${o.timeouts} timeouts and ${o.doubleConfirmations} double confirmations`);
        return;
      }
    }
  })();

  const postgres = (async () => {
    await until(plan.postgresAt);
    if (stopped) return;
    await services.postgres.kill();
    await services.postgres.start();
    note('PostgreSQL restarted (immediate stop: no checkpoint, crash recovery at start)');
  })();

  const nats = (async () => {
    await until(plan.natsAt);
    if (stopped) return;
    await services.nats.kill();
    note(`NATS down (SIGKILL), for ${plan.natsDownSeconds} s`);
    await Promise.race([sleep(plan.natsDownSeconds * 1000), new Promise<void>((r) => (wakeNats = r))]);
    await services.nats.start();
    note('NATS up again (same JetStream store)');
  })();

  const temporal = (async () => {
    await until(plan.temporalAt);
    if (stopped) return;
    await services.temporal.kill();
    await services.temporal.start();
    note('Temporal dev server restarted (SIGKILL, then started on the same SQLite file)');
  })();

  return {
    injected,
    railStretch: () => stretch,
    stop: async () => {
      stopped = true;
      wakeNats();
      await Promise.all([kills, railEnd, postgres, nats, temporal]);
    },
  };
};
