import { ANOMALY_KIND_NAMES, type NameTable } from '../../../domain/names';
import { BENEFIT_ANOMALY_KINDS } from './benefit-kinds';

/** Everything GET /anomalies can list. */
export const ANOMALY_KINDS = [
  'over-allocation',
  'payment-before-acceptance',
  'payment-confirmed-not-recorded',
  'shared-payee-account',
  'payment-to-exited-household',
  'payment-to-unregistered-household',
  'idle-allocation',
  'overdue-stage',
  'policy-not-in-force',
  // Not from the store: a step whose activity kept failing, from the worker's stuck_steps table (activities/stuck-steps.ts).
  'step-stuck',
  ...BENEFIT_ANOMALY_KINDS,
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

// A kind without a zh name in domain/names does not compile.
const _named: NameTable<AnomalyKind> = ANOMALY_KIND_NAMES;

/** Refusals that are anomalies, by code; any other refusal is an ordinary "not now" and is not listed. */
const BY_REFUSAL_CODE: Readonly<Record<string, AnomalyKind>> = {
  // More than the fund has, than the project's budget, or than the allocation holds.
  FUND_INSUFFICIENT: 'over-allocation',
  PROJECT_FUNDING_EXCEEDS_BUDGET: 'over-allocation',
  FUND_PAYMENT_EXCEEDS_ALLOCATION: 'over-allocation',
  PAYMENT_EXCEEDS_ALLOCATION: 'over-allocation',
  PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE: 'payment-before-acceptance',
  PAYMENT_CONFIRMED_NOT_RECORDED: 'payment-confirmed-not-recorded',
};

/** The anomaly a refused command is, by its failure code, or null. */
export const anomalyKindOfRefusal = (code: string): AnomalyKind | null => BY_REFUSAL_CODE[code] ?? null;

/** A household's standing as far as payments care, from the last of its registration, exit and return events. */
export type HouseholdStanding = 'unregistered' | 'registered' | 'exited';
export const standingAfter = (lastType: string | null): HouseholdStanding => (lastType === null ? 'unregistered' : lastType === 'HouseholdExitAnnounced' ? 'exited' : 'registered');

const DAY_MS = 86_400_000;

/** Whole days from one calendar day to another (both `YYYY-MM-DD`). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** Money allocated and left unpaid is idle once more than this many days pass without a payment. */
export const IDLE_AFTER_DAYS = 365;

/** An allocation with money unpaid, last moved on `since`, is idle as of `asOf` after more than 365 days. */
export const isIdle = (unpaidFen: number, since: string, asOf: string): boolean => unpaidFen > 0 && daysBetween(since, asOf) > IDLE_AFTER_DAYS;
