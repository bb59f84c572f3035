import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * Where a run's CPU went, from /proc: this process, the Temporal server, nats-server, and the
 * PostgreSQL backends serving the run's database (sampled every 2 s, since a backend's time is
 * gone from /proc once it ends), beside how busy the whole machine was (other work included).
 * Set against wall time × cores it says whether a run waited (scaled notices, round trips) or
 * worked (its processes used the cores).
 */
export interface CpuShare {
  readonly wallSeconds: number;
  readonly cores: number;
  readonly thisProcess: number;
  readonly temporal: number;
  readonly nats: number;
  readonly postgres: number;
  /** Share of all cores busy over the run, whoever used them. */
  readonly machineBusy: number;
}

const TICK = 100; // USER_HZ on Linux

const ticksOf = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
  } catch {
    return null;
  }
};

const commOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

const cmdlineOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

const pids = (): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);

const machine = (): { busy: number; all: number } => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + f[4]!;
  const all = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: all - idle, all };
};

/**
 * The Temporal servers to count: those started with `--port <the configured address's port>` when
 * one is (a dev server of the run's own beside the shared one), else every one.
 */
const temporalServer = (): ((pid: number) => boolean) => {
  const port = /:(\d+)$/.exec(process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233')?.[1];
  const named = (pid: number) => port !== undefined && new RegExp(`(^| )--port ${port}( |$)`).test(cmdlineOf(pid));
  const any = pids().some((pid) => commOf(pid) === 'temporal' && named(pid));
  return any ? named : () => true;
};

/** Starts sampling; `stop()` returns the shares since the start. `database` picks the run's PostgreSQL backends. */
export const startCpuShare = (database: string): { stop(): CpuShare } => {
  const ours = temporalServer();
  const t0 = Date.now();
  const own0 = process.cpuUsage();
  const m0 = machine();
  const first = new Map<number, { comm: string; ticks: number }>();
  const last = new Map<number, number>();
  const sample = (atStart: boolean) => {
    for (const pid of pids()) {
      const comm = commOf(pid);
      const tracked = (comm === 'temporal' && ours(pid)) || comm === 'nats-server' || (comm === 'postgres' && cmdlineOf(pid).includes(` ${database} `));
      if (!tracked) continue;
      const t = ticksOf(pid);
      if (t === null) continue;
      // A backend that starts during the run counts from 0; a server running before it, from now.
      if (!first.has(pid)) first.set(pid, { comm: comm === 'postgres' ? 'postgres' : comm, ticks: atStart || comm !== 'postgres' ? t : 0 });
      last.set(pid, t);
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), 2_000);
  timer.unref();
  return {
    stop: () => {
      sample(false);
      clearInterval(timer);
      const by = (comm: string) => [...first].filter(([, f]) => f.comm === comm).reduce((s, [pid, f]) => s + ((last.get(pid) ?? f.ticks) - f.ticks), 0) / TICK;
      const own = process.cpuUsage(own0);
      const m1 = machine();
      return {
        wallSeconds: (Date.now() - t0) / 1000,
        cores: cpus().length,
        thisProcess: (own.user + own.system) / 1e6,
        temporal: by('temporal'),
        nats: by('nats-server'),
        postgres: by('postgres'),
        machineBusy: (m1.busy - m0.busy) / Math.max(1, m1.all - m0.all),
      };
    },
  };
};

export const cpuShareLine = (c: CpuShare): string => {
  const ours = c.thisProcess + c.temporal + c.nats + c.postgres;
  const pct = (s: number) => `${((s / (c.wallSeconds * c.cores)) * 100).toFixed(0)}%`;
  return (
    `CPU during the run       this process ${c.thisProcess.toFixed(0)} s, Temporal server ${c.temporal.toFixed(0)} s, PostgreSQL (the run's backends) ${c.postgres.toFixed(0)} s, ` +
    `nats-server ${c.nats.toFixed(0)} s: ${ours.toFixed(0)} s = ${pct(ours)} of ${c.cores} cores × ${c.wallSeconds.toFixed(0)} s wall; machine busy ${(c.machineBusy * 100).toFixed(0)}% (other work included)`
  );
};
