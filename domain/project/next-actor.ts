import { COUNTY_SCOPED_ROLES, type Role } from '../shared/actor';
import type { CountyId } from '../reference/counties';
import type { Action } from '../access/actions';
import { openFindings, type ProjectState, type ProjectStatus } from './state';

/** The deadlines a workflow runs for a project; configuration gives each its duration. */
export const DEADLINE_KINDS = [
  'township-review',
  'county-review',
  'notice-publication',
  'notice-period',
  'funding',
  'construction-start',
  'construction',
  'acceptance',
  'settlement',
  'remediation',
  'retention-release',
  'handover',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export interface NextActor {
  readonly roles: readonly Role[];
  readonly action: Action;
  readonly deadlineKind: DeadlineKind;
  /** Who may not take this step (separation of duties). */
  readonly notBy?: string;
  /** The step cannot be taken before this instant (the notice period, the warranty). */
  readonly notBefore?: string;
}

type Step = Pick<NextActor, 'roles' | 'action' | 'deadlineKind'>;
/** A stage someone still has to act at (state.ts TERMINAL are the others). */
export type ActiveStatus = Exclude<ProjectStatus, 'closed' | 'rejected' | 'cancelled'>;

/**
 * The step each stage opens with: who acts first once a project reaches it. Under construction the
 * step turns to completion at 100%; after settlement, to remediation, the retention and the handover
 * (nextActor below, from the project's full state).
 */
export const STAGE_STEP: Readonly<Record<ActiveStatus, Step>> = {
  proposed: { roles: ['township-official'], action: 'project.township-review', deadlineKind: 'township-review' },
  'township-reviewed': { roles: ['county-official'], action: 'project.county-review', deadlineKind: 'county-review' },
  'county-approved': { roles: ['county-official'], action: 'project.publish-notice', deadlineKind: 'notice-publication' },
  'in-notice': { roles: ['county-official'], action: 'project.enter-library', deadlineKind: 'notice-period' },
  'in-library': { roles: ['county-official', 'county-finance'], action: 'project.record-funding', deadlineKind: 'funding' },
  funded: { roles: ['county-official'], action: 'project.start-construction', deadlineKind: 'construction-start' },
  'under-construction': { roles: ['township-official', 'county-official'], action: 'project.report-milestone', deadlineKind: 'construction' },
  completed: { roles: ['county-official'], action: 'project.accept', deadlineKind: 'acceptance' },
  accepted: { roles: ['county-official'], action: 'project.settle', deadlineKind: 'settlement' },
  settled: { roles: ['county-finance'], action: 'project.record-payment', deadlineKind: 'settlement' },
};

/** Which role must act next, on what, under which deadline; undefined once the project is at rest. */
export const nextActor = (s: ProjectState): NextActor | undefined => {
  switch (s.status) {
    case 'none':
    case 'closed':
    case 'rejected':
    case 'cancelled':
      return undefined;
    case 'proposed':
    case 'township-reviewed':
      return { ...STAGE_STEP[s.status], notBy: s.proposedBy };
    case 'county-approved':
    case 'in-library':
    case 'funded':
    case 'accepted':
      return { ...STAGE_STEP[s.status] };
    case 'in-notice':
      return { ...STAGE_STEP[s.status], ...(s.noticeEndsAt ? { notBefore: s.noticeEndsAt } : {}) };
    case 'under-construction':
      return s.progressBp < 10_000 ? { ...STAGE_STEP[s.status] } : { roles: ['county-official'], action: 'project.complete', deadlineKind: 'construction' };
    case 'completed':
      return { ...STAGE_STEP[s.status], ...(s.approvedBy ? { notBy: s.approvedBy } : {}) };
    case 'settled': {
      if (openFindings(s) > 0) return { roles: ['county-official'], action: 'project.remediate-finding', deadlineKind: 'remediation' };
      const warranty = s.warrantyEndsAt ? { notBefore: s.warrantyEndsAt } : {};
      const settlement = s.settlementAmount ?? 0;
      if (s.paid < settlement - (s.retentionAmount ?? 0)) return { ...STAGE_STEP[s.status] };
      if (s.paid < settlement) return { roles: ['county-finance'], action: 'project.record-payment', deadlineKind: 'retention-release', ...warranty };
      return { roles: ['county-official'], action: 'project.hand-over', deadlineKind: 'handover', ...warranty };
    }
  }
};

/** Who a project waits for, as a read model can hold it: one role and, for a county-scoped role, the county. */
export interface StageActor {
  readonly role: Role;
  readonly countyId?: CountyId;
}

const isActive = (stage: string): stage is ActiveStatus => Object.hasOwn(STAGE_STEP, stage);

/**
 * Who acts next at a stage, from the stage alone: the first role of the step the stage opens with,
 * scoped to the project's county when the role is county-scoped (domain/shared/actor.ts). The
 * domain knows no township of a project, so a township official is named by county. Null at rest
 * (closed, rejected, cancelled) and for a stage this domain does not know.
 */
export const nextActorAtStage = (stage: string, countyId: CountyId): StageActor | null => {
  if (!isActive(stage)) return null;
  const role = STAGE_STEP[stage].roles[0]!;
  return COUNTY_SCOPED_ROLES.includes(role) ? { role, countyId } : { role };
};
