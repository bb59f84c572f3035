import type { DomainError } from '../shared/errors';
import type { Fen } from '../shared/money';
import { MONITORING } from '../policy/monitoring';
import type { PolicyVersion } from '../policy/table';
import { benefitErrors as err } from './errors';
import type { HouseholdBenefitFacts, MemberFacts } from './facts';
import { BENEFIT_POLICY, type BenefitProgramme, type EligibilityRuleId } from './programmes';
import { yearOfPeriod } from './ids';

export type FactValue = string | number | boolean | null;

/** One person (or the household, memberKey null) a line pays for, with the facts the rule used. */
export interface Beneficiary {
  readonly memberKey: string | null;
  readonly amount: Fen;
  readonly facts: Readonly<Record<string, FactValue>>;
}

/** One household on a round's list: who, how much, and why (rule, policy version, facts). */
export interface BenefitLine {
  readonly householdId: string;
  readonly villageId: string;
  readonly amount: Fen;
  readonly ruleId: EligibilityRuleId;
  readonly policy: PolicyVersion;
  readonly beneficiaries: readonly Beneficiary[];
}

/** The standard a round pays per tier (`default` for a single-standard programme; `C`/`D`; `primary`/`junior`…), checked by `resolveStandards`. */
export type Standards = Readonly<Record<string, Fen>>;

/**
 * The standards a round will pay: the programme's own unless the county states its own, which must
 * respect the bound (not below a floor, not above a cap, equal to an exact national standard).
 */
export const resolveStandards = (p: BenefitProgramme, given: Standards = {}): { ok: true; standards: Standards } | { ok: false; error: DomainError } => {
  const a = p.amount;
  const table: Record<string, { value: Fen; bound: 'exact' | 'floor' | 'cap' }> =
    a.kind === 'per-person'
      ? { default: { value: a.standard.value, bound: a.bound } }
      : a.kind === 'per-person-tiered'
        ? Object.fromEntries(Object.entries(a.tiers).map(([k, v]) => [k, { value: v.value, bound: a.bound }]))
        : a.kind === 'per-household-by-grade'
          ? { C: { value: a.caps.C.value, bound: 'cap' }, D: { value: a.caps.D.value, bound: 'cap' } }
          : {};
  const out: Record<string, Fen> = {};
  for (const [tier, amount] of Object.entries(given)) {
    const t = table[tier];
    if (!t) return { ok: false, error: err.standardUnknownTier(tier) };
    const bad = t.bound === 'floor' ? amount < t.value : t.bound === 'cap' ? amount > t.value || amount <= 0 : amount !== t.value;
    if (bad) return { ok: false, error: err.standardOutOfBounds(tier, amount, t.bound, t.value) };
  }
  for (const [tier, t] of Object.entries(table)) out[tier] = given[tier] ?? t.value;
  return { ok: true, standards: out };
};

const active = (m: MemberFacts): boolean => m.removed === null;
const inYear = (day: string, year: number): boolean => day.startsWith(`${year}-`);

/** Who qualifies in a household under a rule, with the tier each is paid at and the facts used. */
const beneficiariesOf = (rule: EligibilityRuleId, h: HouseholdBenefitFacts, year: number): { memberKey: string | null; tier: string; facts: Record<string, FactValue> }[] => {
  const members = h.members.filter(active);
  switch (rule) {
    case 'enrolled-secondary-vocational':
      return members
        .filter((m) => m.schooling?.level === 'secondary-vocational' && m.schooling.schoolYear === year)
        .map((m) => ({ memberKey: m.memberKey, tier: 'default', facts: { schoolLevel: 'secondary-vocational', schoolYear: year, enrolmentRef: m.schooling!.evidenceRef } }));
    case 'boarding-compulsory':
      return members
        .filter((m) => (m.schooling?.level === 'primary' || m.schooling?.level === 'junior') && m.schooling.boarding && m.schooling.schoolYear === year)
        .map((m) => ({
          memberKey: m.memberKey,
          tier: m.schooling!.level,
          facts: { schoolLevel: m.schooling!.level, schoolYear: year, boarding: true, enrolmentRef: m.schooling!.evidenceRef },
        }));
    case 'extreme-poverty-supported':
      return members.filter((m) => m.extremePoverty !== null).map((m) => ({ memberKey: m.memberKey, tier: m.extremePoverty!, facts: { support: m.extremePoverty } }));
    case 'dangerous-house-accepted':
      return h.housing && (h.housing.grade === 'C' || h.housing.grade === 'D')
        ? [
            {
              memberKey: null,
              tier: h.housing.grade,
              facts: {
                housingGrade: h.housing.grade,
                gradingRef: h.housing.evidenceRef,
                acceptedOn: h.renovationAccepted?.acceptedOn ?? null,
                acceptanceRef: h.renovationAccepted?.evidenceRef ?? null,
              },
            },
          ]
        : [];
    case 'relocation-plan-member':
      return h.relocation
        ? members
            .slice(0, h.relocation.persons)
            .map((m) => ({ memberKey: m.memberKey, tier: 'default', facts: { planRef: h.relocation!.planRef, planPersons: h.relocation!.persons } }))
        : [];
    case 'forest-ranger':
    case 'public-welfare-job': {
      const kind = rule === 'forest-ranger' ? 'forest-ranger' : 'public-welfare';
      return members
        .filter((m) => m.welfareJob?.kind === kind && m.labourCapacity !== 'none')
        .map((m) => ({
          memberKey: m.memberKey,
          tier: 'default',
          facts: { job: kind, since: m.welfareJob!.since, appointmentRef: m.welfareJob!.evidenceRef, labourCapacity: m.labourCapacity },
        }));
    }
    case 'poverty-microcredit':
      return h.loan && h.loan.year === year
        ? [{ memberKey: null, tier: 'default', facts: { loanRef: h.loan.loanRef, principal: h.loan.principal, annualRateBp: h.loan.annualRateBp, months: h.loan.months } }]
        : [];
    case 'training-completed':
      return members
        .filter((m) => m.training !== null && inYear(m.training.completedOn, year))
        .map((m) => ({
          memberKey: m.memberKey,
          tier: 'default',
          facts: { course: m.training!.course, completedOn: m.training!.completedOn, certificateRef: m.training!.evidenceRef },
        }));
  }
};

/** Interest at the lower of the loan's rate and the base rate, on at most the capped principal, for its months in the year; down to the fen. */
const interestOf = (p: BenefitProgramme, h: HouseholdBenefitFacts): Fen => {
  if (p.amount.kind !== 'interest-subsidy' || !h.loan) return 0 as Fen;
  const principal = Math.min(h.loan.principal, p.amount.maxPrincipal.value);
  const rate = Math.min(h.loan.annualRateBp, p.amount.maxRateBp);
  const months = Math.min(h.loan.months, 12);
  return Math.floor((principal * rate * months) / (10_000 * 12)) as Fen;
};

export type Assessment = { readonly ok: true; readonly line: BenefitLine } | { readonly ok: false; readonly error: DomainError };

/**
 * One household under one programme for one period: removed households and members are never
 * paid; after exit a 'stops' programme is refused and a 'continues' one runs to the end of the plan
 * (脱贫不脱政策); a 危改 subsidy needs its 验收; the household needs an account on file.
 */
export const assessHousehold = (p: BenefitProgramme, h: HouseholdBenefitFacts, period: string, standards: Standards, countyId: string): Assessment => {
  const year = yearOfPeriod(period);
  const no = (error: DomainError): Assessment => ({ ok: false, error });
  if (h.countyId !== countyId) return no(err.outOfCounty(h.householdId));
  if (h.standing === 'removed') return no(err.householdRemoved(h.householdId));
  if (h.standing === 'exited' && h.exitYear !== null && year > h.exitYear) {
    if (p.afterExit === 'stops') return no(err.stopsAtExit(h.householdId, h.exitYear));
    const until = MONITORING.policiesContinueUntilYear.value;
    if (year > until && p.eligibility !== 'extreme-poverty-supported') return no(err.policyPeriodEnded(h.householdId, until));
  }
  const found = beneficiariesOf(p.eligibility, h, year);
  if (found.length === 0) return no(err.notEligible(h.householdId, p.eligibility));
  if (p.eligibility === 'dangerous-house-accepted' && h.renovationAccepted === null) return no(err.beforeAcceptance(h.householdId));
  if (h.account === null) return no(err.noAccount(h.householdId));
  const beneficiaries: Beneficiary[] = found.map((b) => ({
    memberKey: b.memberKey,
    amount: (p.amount.kind === 'interest-subsidy' ? interestOf(p, h) : (standards[b.tier] ?? 0)) as Fen,
    facts: b.facts,
  }));
  const amount = beneficiaries.reduce((s, b) => s + b.amount, 0) as Fen;
  if (amount <= 0) return no(err.notEligible(h.householdId, p.eligibility));
  return { ok: true, line: { householdId: h.householdId, villageId: h.villageId, amount, ruleId: p.eligibility, policy: BENEFIT_POLICY, beneficiaries } };
};
