import type { Fen } from '../shared/money';
import type { BenefitLine } from './eligibility';

export type LineStatus = 'listed' | 'removed' | 'paid' | 'returned';

export interface LineState extends BenefitLine {
  readonly status: LineStatus;
  readonly paymentId?: string;
  readonly accountKey?: string;
  readonly note?: string;
}

export const ROUND_STAGES = ['drafted', 'in-notice', 'township-reviewed', 'approved', 'disbursing', 'closed', 'rejected'] as const;
export type RoundStage = (typeof ROUND_STAGES)[number];

export interface RoundBooks {
  readonly roundId: string;
  readonly programmeId: string;
  readonly countyId: string;
  readonly townshipId: string;
  readonly villageIds: readonly string[];
  readonly period: string;
  readonly standards: Readonly<Record<string, Fen>>;
  readonly drafter: string;
  readonly noticeEndsAt: string | null;
  readonly reviewer: string | null;
  readonly approver: string | null;
  readonly payer: string | null;
  readonly fundId: string | null;
  readonly allocationId: string | null;
  readonly objections: ReadonlySet<string>;
  /** Lines by household id; a Map so a county-wide list folds in linear time. */
  readonly lines: ReadonlyMap<string, LineState>;
  /** Sum of lines listed or settled (not removed): what the round owes. */
  readonly listTotal: Fen;
  readonly paid: Fen;
  readonly returned: Fen;
}

export type BenefitRoundState = { readonly stage: 'none' } | ({ readonly stage: RoundStage } & RoundBooks);

export const initialState = (): BenefitRoundState => ({ stage: 'none' });

export const unsettled = (s: RoundBooks): number => [...s.lines.values()].filter((l) => l.status === 'listed').length;
export const reconciled = (s: RoundBooks): boolean => s.listTotal === s.paid + s.returned;

/** A round's totals and counts, for status answers: fen inside, 元 at the edges. */
export interface RoundSummary {
  readonly stage: string;
  readonly lineCount: number;
  readonly listTotal: number;
  readonly paid: number;
  readonly returned: number;
  readonly counts: Readonly<Record<string, number>>;
}

export const summaryOf = (s: BenefitRoundState): RoundSummary => {
  if (s.stage === 'none') return { stage: 'none', lineCount: 0, listTotal: 0, paid: 0, returned: 0, counts: {} };
  const counts: Record<string, number> = {};
  for (const l of s.lines.values()) counts[l.status] = (counts[l.status] ?? 0) + 1;
  return { stage: s.stage, lineCount: s.lines.size - (counts.removed ?? 0), listTotal: s.listTotal, paid: s.paid, returned: s.returned, counts };
};
