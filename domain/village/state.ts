import type { CountyId } from '../reference/counties';
import type { PolicyRef } from '../policy/policy-ref';
import type { VillageId } from './ids';
import type { Checklist } from './checklist';
import type { IncidenceCount } from './incidence';

export interface VillageFile {
  readonly villageId: VillageId;
  readonly countyId: CountyId;
  readonly registeredYear: number;
  /** The latest count per year; an exit is judged on the count of its year. */
  readonly incidence: Readonly<Record<number, IncidenceCount>>;
  readonly checklist: Checklist;
  readonly openObjectionId: string | null;
}

export interface VillageApplication {
  readonly year: number;
  readonly count: IncidenceCount;
  readonly policy: PolicyRef;
  readonly noticeEndsAt?: string;
}

export const VILLAGE_ROUND = ['applied', 'reviewed', 'in-notice'] as const;

export type VillageState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'poor'; readonly file: VillageFile }
  | { readonly status: (typeof VILLAGE_ROUND)[number]; readonly file: VillageFile; readonly application: VillageApplication }
  | { readonly status: 'exited'; readonly file: VillageFile; readonly exitYear: number };

export const initialState = (): VillageState => ({ status: 'unregistered' });
