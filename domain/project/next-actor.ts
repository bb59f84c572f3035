import type { Role } from '../shared/actor';
import type { Action } from '../access/actions';
import { openFindings, type ProjectState } from './state';

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

/** Which role must act next, on what, under which deadline; undefined once the project is at rest. */
export const nextActor = (s: ProjectState): NextActor | undefined => {
  switch (s.status) {
    case 'none':
    case 'closed':
    case 'rejected':
    case 'cancelled':
      return undefined;
    case 'proposed':
      return { roles: ['township-official'], action: 'project.township-review', deadlineKind: 'township-review', notBy: s.proposedBy };
    case 'township-reviewed':
      return { roles: ['county-official'], action: 'project.county-review', deadlineKind: 'county-review', notBy: s.proposedBy };
    case 'county-approved':
      return { roles: ['county-official'], action: 'project.publish-notice', deadlineKind: 'notice-publication' };
    case 'in-notice':
      return { roles: ['county-official'], action: 'project.enter-library', deadlineKind: 'notice-period', ...(s.noticeEndsAt ? { notBefore: s.noticeEndsAt } : {}) };
    case 'in-library':
      return { roles: ['county-official', 'county-finance'], action: 'project.record-funding', deadlineKind: 'funding' };
    case 'funded':
      return { roles: ['county-official'], action: 'project.start-construction', deadlineKind: 'construction-start' };
    case 'under-construction':
      return s.progressBp < 10_000
        ? { roles: ['township-official', 'county-official'], action: 'project.report-milestone', deadlineKind: 'construction' }
        : { roles: ['county-official'], action: 'project.complete', deadlineKind: 'construction' };
    case 'completed':
      return { roles: ['county-official'], action: 'project.accept', deadlineKind: 'acceptance', ...(s.approvedBy ? { notBy: s.approvedBy } : {}) };
    case 'accepted':
      return { roles: ['county-official'], action: 'project.settle', deadlineKind: 'settlement' };
    case 'settled': {
      if (openFindings(s) > 0) return { roles: ['county-official'], action: 'project.remediate-finding', deadlineKind: 'remediation' };
      const warranty = s.warrantyEndsAt ? { notBefore: s.warrantyEndsAt } : {};
      const settlement = s.settlementAmount ?? 0;
      if (s.paid < settlement - (s.retentionAmount ?? 0)) return { roles: ['county-finance'], action: 'project.record-payment', deadlineKind: 'settlement' };
      if (s.paid < settlement) return { roles: ['county-finance'], action: 'project.record-payment', deadlineKind: 'retention-release', ...warranty };
      return { roles: ['county-official'], action: 'project.hand-over', deadlineKind: 'handover', ...warranty };
    }
  }
};
