import type { CountyId } from '../reference/counties';
import type { PolicyRef } from '../policy/policy-ref';
import type { SampleBasis } from './commands';

export interface CountyApplication {
  readonly year: number;
  readonly poorCounty: boolean;
  /** The 综合贫困发生率's denominator (农业户籍人口), from the application. */
  readonly ruralPopulation: number;
  /** The store digest the sample's seed derives from; null for an application that had none (version 1). */
  readonly sampleBasis: SampleBasis | null;
  readonly policy: PolicyRef;
  readonly noticeEndsAt?: string;
}

export interface Blocked {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
}

export const COUNTY_ROUND = ['applied', 'city-checked', 'provincially-checked', 'in-notice'] as const;
export type CountyRoundStatus = (typeof COUNTY_ROUND)[number];

export type CountyState =
  | { readonly status: 'not-applied'; readonly countyId: CountyId | null; readonly openObjectionId: null }
  | { readonly status: CountyRoundStatus; readonly countyId: CountyId; readonly application: CountyApplication; readonly openObjectionId: string | null }
  /** A failed check or an upheld objection: the reasons stay until a new application. */
  | { readonly status: 'blocked'; readonly countyId: CountyId; readonly blockedBy: readonly Blocked[]; readonly openObjectionId: null }
  | { readonly status: 'exited'; readonly countyId: CountyId; readonly exitYear: number; readonly openObjectionId: null };

export const initialState = (): CountyState => ({ status: 'not-applied', countyId: null, openObjectionId: null });
