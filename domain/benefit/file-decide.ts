import { authorizeStep } from './authorize';
import type { CountyId } from '../reference/counties';
import type { CommandMeta, Role } from '../shared/actor';
import { domainError } from '../shared/errors';
import { accept, refuse, type Decision } from '../shared/result';
import type { BenefitFileEvent } from './file-events';
import type { BenefitFileState, RegistryView } from './household-facts';

type Data<T extends BenefitFileEvent['type']> = Omit<Extract<BenefitFileEvent, { type: T }>['data'], 'by' | 'at'>;
type Cmd<T extends string, E extends BenefitFileEvent['type'], X = Record<never, never>> = {
  readonly type: T;
  readonly data: Omit<Data<E>, keyof X> & X;
  readonly meta: CommandMeta;
};

export type RecordMemberAttributes = Cmd<'RecordMemberAttributes', 'MemberAttributesRecorded'>;
export type GradeHousing = Cmd<'GradeHousing', 'HousingGraded'>;
export type AcceptRenovation = Cmd<'AcceptRenovation', 'HousingRenovationAccepted'>;
export type JoinRelocationPlan = Cmd<'JoinRelocationPlan', 'RelocationPlanJoined'>;
export type RecordMicrocreditLoan = Cmd<'RecordMicrocreditLoan', 'MicrocreditLoanRecorded'>;
/** The previous account comes from the file, not the caller. */
export type SetHouseholdAccount = Cmd<'SetHouseholdAccount', 'HouseholdAccountSet', { previousAccountKey?: never }>;

export type BenefitFileCommand = RecordMemberAttributes | GradeHousing | AcceptRenovation | JoinRelocationPlan | RecordMicrocreditLoan | SetHouseholdAccount;

/** Work teams and officials record facts; an account is set by the township or county finance (who answer for where money goes). */
export const FILE_ROLES: Record<BenefitFileCommand['type'], readonly Role[]> = {
  RecordMemberAttributes: ['work-team', 'township-official', 'county-official'],
  GradeHousing: ['township-official', 'county-official'],
  AcceptRenovation: ['county-official'],
  JoinRelocationPlan: ['township-official', 'county-official'],
  RecordMicrocreditLoan: ['township-official', 'county-finance'],
  SetHouseholdAccount: ['township-official', 'county-finance'],
};

const EVENT: Record<BenefitFileCommand['type'], BenefitFileEvent['type']> = {
  RecordMemberAttributes: 'MemberAttributesRecorded',
  GradeHousing: 'HousingGraded',
  AcceptRenovation: 'HousingRenovationAccepted',
  JoinRelocationPlan: 'RelocationPlanJoined',
  RecordMicrocreditLoan: 'MicrocreditLoanRecorded',
  SetHouseholdAccount: 'HouseholdAccountSet',
};

export const fileErrors = {
  notRegistered: (id: string) => domainError('BENEFIT_NOT_IN_REGISTRY', '该户不在建档立卡档案中', `${id} is not in the registry`, { householdId: id }),
  removed: (id: string) => domainError('BENEFIT_HOUSEHOLD_REMOVED', '该户已从建档立卡档案中清退', `${id} has been removed from the registry`, { householdId: id }),
  memberUnknown: (id: string) => domainError('BENEFIT_MEMBER_NOT_IN_FILE', '该成员不在此户的档案中', `the member is not in ${id}'s file`, { householdId: id }),
  notDangerous: (id: string) =>
    domainError('BENEFIT_HOUSE_NOT_DANGEROUS', '该户住房未鉴定为C/D级危房，无从验收', `${id}'s house is not graded C or D: there is no renovation to accept`, { householdId: id }),
  tooManyPersons: (persons: number, members: number) =>
    domainError('BENEFIT_RELOCATION_PERSONS', `搬迁人数${persons}超过家庭人口${members}`, `${persons} persons to relocate, but the household has ${members} members`, {
      persons,
      members,
    }),
  accountUnchanged: () => domainError('BENEFIT_ACCOUNT_UNCHANGED', '新账户与现账户相同', 'the new account is the one already on file'),
};

/** One fact for the household's benefit file: the household must be registered and not removed, a member must be in it. */
export const decideFile = (c: BenefitFileCommand, view: RegistryView | null, s: BenefitFileState): Decision<BenefitFileEvent> => {
  const id = c.data.householdId;
  if (view === null) return refuse(fileErrors.notRegistered(id));
  const denied = authorizeStep(c.meta, FILE_ROLES[c.type], view.countyId as CountyId);
  if (denied) return refuse(denied);
  if (view.standing === 'removed') return refuse(fileErrors.removed(id));
  const stamp = { by: c.meta.actor.userId, at: c.meta.now };
  switch (c.type) {
    case 'RecordMemberAttributes':
      if (!view.memberKeys.includes(c.data.memberKey)) return refuse(fileErrors.memberUnknown(id));
      break;
    case 'AcceptRenovation':
      if (s.housing?.grade !== 'C' && s.housing?.grade !== 'D') return refuse(fileErrors.notDangerous(id));
      break;
    case 'JoinRelocationPlan':
      if (c.data.persons > view.memberKeys.length) return refuse(fileErrors.tooManyPersons(c.data.persons, view.memberKeys.length));
      break;
    case 'SetHouseholdAccount':
      if (s.account?.accountKey === c.data.accountKey) return refuse(fileErrors.accountUnchanged());
      return accept({ type: 'HouseholdAccountSet', data: { ...c.data, ...stamp, previousAccountKey: s.account?.accountKey ?? null } } as BenefitFileEvent);
    default:
      break;
  }
  return accept({ type: EVENT[c.type], data: { ...c.data, ...stamp } } as BenefitFileEvent);
};
