import type { DomainEvent } from '../shared/events';
import type { HouseholdEventData } from '../household/events';
import type { BenefitFileEvent } from './file-events';
import type { HouseholdBenefitFacts, MemberFacts } from './facts';

/** What the household's registry stream says that the benefit rules need: where, who (by key), and its standing. */
export interface RegistryView {
  readonly householdId: string;
  readonly countyId: string;
  readonly villageId: string;
  readonly memberKeys: readonly string[];
  readonly standing: HouseholdBenefitFacts['standing'];
  readonly exitYear: number | null;
}

/**
 * Folds a household's registry stream into what benefits read. Types it does not know (the exit
 * steps) leave the view as it is. Members come as the keys the events record (never ID numbers);
 * a member recorded before events held keys has none and is left out.
 */
const keysOf = (members: readonly { memberKey: string | null }[]): string[] => members.flatMap((m) => (m.memberKey === null ? [] : [m.memberKey]));

export const registryViewOf = (events: readonly DomainEvent[]): RegistryView | null => {
  let v: RegistryView | null = null;
  for (const e of events) {
    if (e.type === 'HouseholdRegistered') {
      const d = e.data as HouseholdEventData<'HouseholdRegistered'>;
      v = { householdId: d.householdId, countyId: d.countyId, villageId: d.villageId, memberKeys: keysOf(d.members), standing: 'registered', exitYear: null };
      continue;
    }
    if (v === null) continue;
    switch (e.type) {
      case 'HouseholdMembersUpdated':
        v = { ...v, memberKeys: keysOf((e.data as HouseholdEventData<'HouseholdMembersUpdated'>).members) };
        break;
      case 'HouseholdExitAnnounced':
        v = { ...v, standing: 'exited', exitYear: (e.data as HouseholdEventData<'HouseholdExitAnnounced'>).year };
        break;
      case 'HouseholdReturnedToPoverty':
        v = { ...v, standing: 'registered', exitYear: null };
        break;
      // Removed from the register (death, moved away, 错评清退): nothing is paid to it from then on.
      case 'HouseholdRemovedFromRegister':
        v = { ...v, standing: 'removed' };
        break;
      case 'HouseholdMemberRemoved': {
        const k = (e.data as HouseholdEventData<'HouseholdMemberRemoved'>).memberKey;
        if (k !== null) v = { ...v, memberKeys: v.memberKeys.filter((m) => m !== k) };
        break;
      }
    }
  }
  return v;
};

/** The benefit file folded: member attributes by key (newest wins), housing, relocation, loan, account. */
export interface BenefitFileState {
  readonly attributes: ReadonlyMap<string, Omit<MemberFacts, 'memberKey' | 'removed'>>;
  readonly housing: HouseholdBenefitFacts['housing'];
  readonly renovationAccepted: HouseholdBenefitFacts['renovationAccepted'];
  readonly relocation: HouseholdBenefitFacts['relocation'];
  readonly loan: HouseholdBenefitFacts['loan'];
  readonly account: HouseholdBenefitFacts['account'];
}

export const emptyFile = (): BenefitFileState => ({ attributes: new Map(), housing: null, renovationAccepted: null, relocation: null, loan: null, account: null });

export const evolveFile = (s: BenefitFileState, e: BenefitFileEvent): BenefitFileState => {
  switch (e.type) {
    case 'MemberAttributesRecorded': {
      const { householdId: _h, by: _b, at: _a, memberKey: k, ...attrs } = e.data;
      return { ...s, attributes: new Map(s.attributes).set(k, attrs) };
    }
    case 'HousingGraded':
      return { ...s, housing: { grade: e.data.grade, assessedOn: e.data.assessedOn, evidenceRef: e.data.evidenceRef } };
    case 'HousingRenovationAccepted':
      return { ...s, renovationAccepted: { acceptedOn: e.data.acceptedOn, evidenceRef: e.data.evidenceRef } };
    case 'RelocationPlanJoined':
      return { ...s, relocation: { planRef: e.data.planRef, persons: e.data.persons, movedOn: e.data.movedOn } };
    case 'MicrocreditLoanRecorded':
      return { ...s, loan: { loanRef: e.data.loanRef, principal: e.data.principal, annualRateBp: e.data.annualRateBp, months: e.data.months, year: e.data.year } };
    case 'HouseholdAccountSet':
      return { ...s, account: { accountKey: e.data.accountKey, masked: e.data.masked, setAt: e.data.at, changes: s.account === null ? 0 : s.account.changes + 1 } };
    default: {
      const _never: never = e;
      return _never;
    }
  }
};

const NO_ATTRIBUTES: Omit<MemberFacts, 'memberKey' | 'removed'> = {
  labourCapacity: 'full',
  disabilityGrade: null,
  schooling: null,
  dibao: false,
  extremePoverty: null,
  welfareJob: null,
  training: null,
};

/** The facts a programme rule reads: current members only (someone who left the file is not in it), with their attributes. */
export const benefitFactsOf = (view: RegistryView, file: BenefitFileState): HouseholdBenefitFacts => ({
  householdId: view.householdId,
  countyId: view.countyId,
  villageId: view.villageId,
  standing: view.standing,
  exitYear: view.exitYear,
  members: view.memberKeys.map((k) => ({ memberKey: k, removed: null, ...(file.attributes.get(k) ?? NO_ATTRIBUTES) })),
  housing: file.housing,
  renovationAccepted: file.renovationAccepted,
  relocation: file.relocation,
  loan: file.loan,
  account: file.account,
});
