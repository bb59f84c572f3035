import type { Client, WorkflowHandle } from '@temporalio/client';
import { config, type Config } from '../../infra/config';
import { connectTemporal } from '../../infra/temporal-client';
import { startFloorWorker } from './floor-worker';
import { line, measured } from '../stats';
import { acceptedUpdate, activityUpdate, localUpdate, refusedUpdate, updateFloor } from './workflow';
import { exitOnError } from '../exit-on-error';

export type FloorKind = 'refused' | 'accepted' | 'local' | 'activity';

export const FLOOR_LABELS: Record<FloorKind, string> = {
  refused: 'bare Update, refused by its validator',
  accepted: 'bare Update, accepted, handler returns',
  local: 'Update awaiting a no-op local activity',
  activity: 'Update awaiting a no-op activity',
};

export interface UpdateFloor {
  /** The floor's workflow, whose history holds each Update's workflow task (bench/update-hops.ts reads such histories). */
  readonly workflowId: string;
  /** One Update of this kind, awaited; its round trip in ms. */
  time(kind: FloorKind): Promise<number>;
  stop(): Promise<void>;
}

const UPDATES = { refused: refusedUpdate, accepted: acceptedUpdate, local: localUpdate, activity: activityUpdate } as const;

/**
 * The floors the benches divide by, on the same Temporal server and in the same process as what
 * they measure: a worker of its own (the product's worker settings, workers/tuning.ts) on a task
 * queue of its own, running one `updateFloor` workflow (bench/floor/workflow.ts).
 */
export const startUpdateFloor = async (cfg: Config, client: Client): Promise<UpdateFloor> => {
  const floor = await startFloorWorker(cfg, 'floor');
  const taskQueue = floor.taskQueue;
  const handle: WorkflowHandle = await client.workflow.start(updateFloor, { taskQueue, workflowId: taskQueue });
  const time = async (kind: FloorKind): Promise<number> => {
    const t0 = process.hrtime.bigint();
    await handle.executeUpdate(UPDATES[kind], { args: [1] }).catch((e: unknown) => {
      if (kind !== 'refused') throw e;
    });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  // Warm: the workflow in the worker's cache, each path taken once.
  for (const k of Object.keys(UPDATES) as FloorKind[]) await time(k);
  return {
    workflowId: handle.workflowId,
    time,
    stop: async () => {
      await handle.terminate('bench done').catch(() => undefined);
      await floor.stop();
    },
  };
};

/**
 * `npx tsx bench/floor/update-floor.ts [count] [address…]`: the four floors alone, interleaved,
 * against the configured server (TEMPORAL_ADDRESS) or against each address given, taking turns so
 * that load on the machine falls on all alike: how a server's settings move them (README, "Where
 * an approval's time goes").
 */
if (require.main === module) {
  const count = Number(process.argv[2] ?? 200);
  const main = async () => {
    const base = config();
    const addresses = process.argv.length > 3 ? process.argv.slice(3) : [base.TEMPORAL_ADDRESS];
    const kinds = Object.keys(UPDATES) as FloorKind[];
    const servers = [];
    for (const address of addresses) {
      const cfg = { ...base, TEMPORAL_ADDRESS: address };
      const client = await connectTemporal(cfg);
      servers.push({
        address,
        client,
        floor: await startUpdateFloor(cfg, client),
        times: Object.fromEntries(kinds.map((k) => [k, [] as number[]])) as Record<FloorKind, number[]>,
      });
    }
    for (let i = 0; i < count; i++) for (const s of servers) for (const k of kinds) s.times[k].push(await s.floor.time(k));
    for (const s of servers) {
      process.stdout.write(`-- ${s.address}\n`);
      for (const k of kinds) process.stdout.write(`${line(measured(FLOOR_LABELS[k], count, s.times[k].reduce((a, x) => a + x, 0) / 1000, s.times[k]))}\n`);
      await s.floor.stop();
      await s.client.connection.close();
    }
  };
  main().then(() => process.exit(0), exitOnError);
}
