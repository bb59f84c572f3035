import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { nextActor, projectStepGuide, stepsAtStage, type ProjectStatus, type StepGuide } from '../domain/project';
import { formatYuan } from '../domain/shared/money';
import { ACTION_NAMES, COUNTY_NAMES, DEADLINE_NAMES, ROLE_NAMES, STAGE_NAMES, zhList, zhOf } from '../domain/names';
import type { Role } from '../domain/shared/actor';
import { loadProject } from '../activities/fund-streams';

/** Who must act next, in Chinese beside the ids (domain/project/next-actor.ts). */
export interface NextForPeople {
  readonly roles: readonly Role[];
  readonly rolesZh: string;
  readonly action: string;
  readonly actionZh: string;
  readonly deadlineKind: string;
  readonly deadlineZh: string;
  readonly notBy?: string;
  readonly notBefore?: string;
}

/**
 * What a project waits for and what may be done to it now: for its stage, each step the decider's
 * rules offer (domain/project/step-guide.ts), the roles that may take it, the data it needs and an
 * example. What `GET /projects/:id/next` and `tuopin project steps <id>` answer.
 */
export interface ProjectNext {
  readonly projectId: string;
  readonly countyId: string;
  readonly countyZh: string;
  readonly name: string;
  readonly stage: ProjectStatus;
  readonly stageZh: string;
  readonly streamVersion: number;
  readonly nextActor: NextForPeople | null;
  /** Its allocations (what a payment names), with what each has not paid, in 元. */
  readonly allocations: readonly { readonly allocationId: string; readonly fundId: string; readonly unpaid: string; readonly unpaidFen: number }[];
  readonly steps: readonly StepGuide[];
}

/** The steps of a stage before any project exists: what `tuopin project steps --stage` prints. */
export interface StageSteps {
  readonly stage: ProjectStatus;
  readonly stageZh: string;
  readonly steps: readonly StepGuide[];
}

export const stageSteps = (stage: ProjectStatus): StageSteps => ({ stage, stageZh: STAGE_NAMES[stage].zh, steps: stepsAtStage(stage) });

/** Null when the project has no events. */
export const projectNext = async (db: Kysely<Database>, projectId: string): Promise<ProjectNext | null> => {
  const { state: s, version } = await loadProject(db, projectId);
  if (s.status === 'none') return null;
  const n = nextActor(s);
  const allocations = Object.entries(s.allocations).map(([allocationId, a]) => ({
    allocationId,
    fundId: a.fundId,
    unpaid: formatYuan(a.amount - a.paid),
    unpaidFen: a.amount - a.paid,
  }));
  const open = allocations.find((a) => a.unpaidFen > 0);
  // A payment's example names this project's own allocation when it has one.
  const steps = projectStepGuide(s).map((g) =>
    g.type === 'RecordPayment' && open ? { ...g, example: { ...g.example, fundId: open.fundId, allocationId: open.allocationId } } : g,
  );
  return {
    projectId,
    countyId: s.countyId,
    countyZh: zhOf(COUNTY_NAMES, s.countyId),
    name: s.name,
    stage: s.status,
    stageZh: STAGE_NAMES[s.status].zh,
    streamVersion: version,
    nextActor: n
      ? {
          roles: n.roles,
          rolesZh: zhList(ROLE_NAMES, n.roles),
          action: n.action,
          actionZh: zhOf(ACTION_NAMES, n.action),
          deadlineKind: n.deadlineKind,
          deadlineZh: zhOf(DEADLINE_NAMES, n.deadlineKind),
          ...(n.notBy ? { notBy: n.notBy } : {}),
          ...(n.notBefore ? { notBefore: n.notBefore } : {}),
        }
      : null,
    allocations,
    steps,
  };
};
