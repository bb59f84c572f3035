import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { COUNTY_SCOPED_ROLES, type Actor } from '../domain/shared/actor';
import { STAGE_STEP, type ActiveStatus } from '../domain/project';
import { projectStatusQuery, projectWorkflowId, type ProjectStatusView } from '../workflows/project-lifecycle.messages';
import { ProcessUnavailable } from './errors';
import { queryLive } from './workflow-unavailable';
import { summaryOf, type ProjectSummary } from './project-list';
import { processWork, type ProcessKind, type ProcessWork } from './my-work-processes';

/** One process waiting for the asking person: a project (with its live deadline and escalation), an exit process or a benefit round. */
export interface WorkItem {
  readonly kind: 'project' | ProcessKind;
  /** The project id, or the process's workflow id. */
  readonly id: string;
  readonly countyId: string | null;
  /** What the process is about, by its ids (a project's id; an exit's village, county or household and year; a benefit round's id). */
  readonly ref: ProcessWork['ref'] & { readonly projectId?: string };
  /** The project's stage or the process's phase (null when it could not answer). */
  readonly stage: string | null;
  /** The process's own step type (appraise, announce …); null for projects, whose action names the step. */
  readonly step: string | null;
  readonly project: ProjectSummary | null;
  /** The step it waits for (domain/access action) and by when; null when its process could not answer now. */
  readonly action: string | null;
  readonly deadlineAt: string | null;
  /** The level the overdue stage was last escalated to; null while it is on time. */
  readonly overdueLevel: 'township' | 'county' | 'city' | null;
  /** The step cannot be taken before this instant (a notice still running). */
  readonly notBefore: string | null;
  /** False when the project's process did not answer: the read model's stage is shown without a deadline. */
  readonly live: boolean;
}

const LEVEL_RANK = { city: 0, county: 1, township: 2 } as const;

const projectItem = (project: ProjectSummary) => ({
  kind: 'project' as const,
  id: project.projectId,
  countyId: project.countyId,
  ref: { projectId: project.projectId },
  stage: project.stage,
  step: null,
  project,
});

/** At most this many candidates are asked for their live status per request: a person's desk, not a report. */
export const MY_WORK_LIMIT = 200;
const CONCURRENCY = 8;

const mapLimited = async <T, R>(items: readonly T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
};

/**
 * Everything whose next actor is this person: projects, exit processes and benefit rounds of their
 * county (all counties for a prefecture-wide role). Overdue first, the highest escalation first;
 * then by deadline; then by when the step may be taken; then by id.
 */
export const myWork = async (
  deps: { readonly db: Kysely<Database>; readonly client: Client; readonly taskQueue: string; readonly exitTaskQueue: string },
  actor: Actor,
): Promise<{ items: WorkItem[]; truncated: boolean }> => {
  const [projects, processes] = await Promise.all([projectWork(deps, actor), processWork(deps, actor, (xs, f) => mapLimited(xs, CONCURRENCY, f))]);
  const items: WorkItem[] = [
    ...projects.items,
    ...processes.items.map((p): WorkItem => ({
      kind: p.kind,
      id: p.workflowId,
      countyId: p.countyId,
      ref: p.ref,
      stage: p.phase,
      step: p.step,
      project: null,
      action: p.action,
      // Only complaints keep a deadline; the exits' and rounds' notices only say when a step may be taken.
      deadlineAt: p.deadlineAt ?? null,
      overdueLevel: p.overdueLevel ?? null,
      notBefore: p.notBefore,
      live: p.live,
    })),
  ];
  items.sort(
    (a, b) =>
      (a.overdueLevel ? LEVEL_RANK[a.overdueLevel] : 9) - (b.overdueLevel ? LEVEL_RANK[b.overdueLevel] : 9) ||
      (a.deadlineAt ?? '9999').localeCompare(b.deadlineAt ?? '9999') ||
      (a.notBefore ?? '').localeCompare(b.notBefore ?? '') ||
      a.id.localeCompare(b.id),
  );
  return { items, truncated: projects.truncated || processes.truncated };
};

/**
 * Projects at a stage whose step the person's role takes, confirmed by the workflow's live status
 * (the stage's step may have moved on to another role, or exclude them as its proposer).
 */
const projectWork = async (deps: { readonly db: Kysely<Database>; readonly client: Client }, actor: Actor): Promise<{ items: WorkItem[]; truncated: boolean }> => {
  const stages = (Object.keys(STAGE_STEP) as ActiveStatus[]).filter((s) => STAGE_STEP[s].roles.includes(actor.role) || (s === 'settled' && actor.role === 'county-official'));
  if (stages.length === 0) return { items: [], truncated: false };
  let q = deps.db
    .selectFrom('project_summary')
    .selectAll()
    .where('stage', 'in', stages)
    .orderBy('project_id')
    .limit(MY_WORK_LIMIT + 1);
  if (COUNTY_SCOPED_ROLES.includes(actor.role) && actor.countyId) q = q.where('county_id', '=', actor.countyId);
  const rows = await q.execute();
  const candidates = rows.slice(0, MY_WORK_LIMIT).map(summaryOf);
  // Every project's process runs on one task queue: once one cannot answer, the others would wait out the same deadline.
  let unavailable = false;
  const checked = await mapLimited(candidates, CONCURRENCY, async (project): Promise<WorkItem | null> => {
    let status: ProjectStatusView | null = null;
    try {
      if (!unavailable) status = await queryLive(deps.client, projectWorkflowId(project.projectId), projectStatusQuery);
    } catch (e) {
      if (!(e instanceof ProcessUnavailable)) throw e;
      unavailable = true;
    }
    if (unavailable) {
      // A process that cannot answer now still waits for someone: shown from the read model, marked not live.
      return { ...projectItem(project), action: STAGE_STEP[project.stage as ActiveStatus]?.action ?? null, deadlineAt: null, overdueLevel: null, notBefore: null, live: false };
    }
    const next = status?.nextActor;
    if (!next || !next.roles.includes(actor.role) || next.notBy === actor.userId) return null;
    return {
      ...projectItem({ ...project, stage: status!.stage }),
      action: next.action,
      deadlineAt: status!.deadlineAt ?? null,
      overdueLevel: status!.overdue?.level ?? null,
      notBefore: next.notBefore ?? null,
      live: true,
    };
  });
  const items = checked.filter((w): w is WorkItem => w !== null);
  return { items, truncated: rows.length > MY_WORK_LIMIT };
};
