import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import { projectWorkerTuning } from '../../workers/tuning';
import { startFloorWorker } from './floor-worker';
import { floorFundUpdate, floorStepUpdate, projectFloor } from './workflow';

export interface ProjectFloor {
  /** One floor project, start to end, as bench/project-lifecycle.ts walks a whole project. */
  one(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The CPU floor of a whole project (issue 18 point 6): `projectFloor` (bench/floor/workflow.ts) walked
 * with the Updates of a whole project in its order: 11 steps, 2 allocations and 8 payments. On the
 * same server, in the same process and under the project worker's settings as the projects it is set
 * beside, so what a project costs above it is ours (the store, the relay, the projectors, the
 * workflow's own code) and what it costs below it is Temporal's.
 */
export const startProjectFloor = async (cfg: Config, client: Client): Promise<ProjectFloor> => {
  const { taskQueue, stop } = await startFloorWorker(cfg, 'project-floor', { ...projectWorkerTuning(), maxCachedWorkflows: cfg.TEMPORAL_MAX_CACHED_WORKFLOWS });
  // A project's Updates in its order (bench/project-lifecycle.ts wholeProject): s a step, f a fund Update.
  const walk = 'ssssffsffsffssssffffs';
  return {
    one: async () => {
      const h = await client.workflow.start(projectFloor, { taskQueue, workflowId: `${taskQueue}-${randomBytes(6).toString('hex')}`, args: [{ steps: 11, funds: 10 }] });
      let i = 0;
      for (const k of walk) {
        i += 1;
        await h.executeUpdate(k === 's' ? floorStepUpdate : floorFundUpdate, { args: [i] });
      }
    },
    stop,
  };
};
