import type { CountyId } from '../reference/counties';
import type { IdentificationPhaseId } from '../names/identification';
import type { ApplicationFile, IDENTIFICATION_OUT_REASONS } from './events';

/** An applicant's place in the round: each step moves the ones it names; `out` ones stay unregistered. */
export type ApplicantStatus = 'applied' | 'appraised' | 'village-notice' | 'township-approved' | 'approved' | 'out';
export type OutReason = (typeof IDENTIFICATION_OUT_REASONS)[number];

export interface Applicant {
  readonly householdId: string;
  readonly status: ApplicantStatus;
  readonly reason?: OutReason;
  readonly recordedBy: string;
  readonly file: ApplicationFile;
}

/** The round's own progress, as its events left it (the notices' ends are checked against the command's time). */
export type RoundPhase = Extract<IdentificationPhaseId, 'applying' | 'village-notice' | 'township-reviewed' | 'township-notice' | 'announced'>;

export type IdentificationState =
  | { readonly phase: 'unopened' }
  | {
      readonly phase: RoundPhase;
      readonly villageId: string;
      readonly countyId: CountyId;
      readonly year: number;
      readonly applicants: Readonly<Record<string, Applicant>>;
      readonly villageNoticeEndsAt?: string;
      readonly townshipNoticeEndsAt?: string;
      /** Who appraised (村两委) and who reviewed at the township: the county's approver is a third person. */
      readonly appraisedBy?: string;
      readonly reviewedBy?: string;
    };

export type OpenRound = Exclude<IdentificationState, { phase: 'unopened' }>;

export const initialState = (): IdentificationState => ({ phase: 'unopened' });

export const applicantsWith = (s: IdentificationState, status: ApplicantStatus): string[] =>
  s.phase === 'unopened'
    ? []
    : Object.values(s.applicants)
        .filter((a) => a.status === status)
        .map((a) => a.householdId);
