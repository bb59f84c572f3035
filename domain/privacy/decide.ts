import type { CommandMeta, Role } from '../shared/actor';
import { domainError, type DomainError } from '../shared/errors';
import type { DomainEvent } from '../shared/events';
import type { CountyId } from '../reference/counties';

/**
 * Who has a stated need for a resident's clear ID number: the county official who keeps the
 * household's file (registration, corrections) and the village work team that checks identities
 * during an exit. Only the county official may erase them. Both only in the household's county.
 * Everyone else reads the masked form (410325********111X) in the household's events.
 */
export const ID_NUMBER_READERS: readonly Role[] = ['county-official', 'work-team'];
export const ID_NUMBER_ERASERS: readonly Role[] = ['county-official'];

export const PRIVACY_ERRORS = {
  notPermitted: 'ID_NUMBERS_NOT_PERMITTED',
  reasonMissing: 'ID_NUMBERS_REASON_REQUIRED',
} as const;

export interface IdNumbersAccess {
  readonly householdId: string;
  /** The county the household was registered in (from its stream, not from the id). */
  readonly countyId: CountyId;
  readonly reason: string;
}

const check = (roles: readonly Role[], a: IdNumbersAccess, meta: CommandMeta): DomainError | null => {
  const { actor } = meta;
  if (!roles.includes(actor.role) || actor.countyId !== a.countyId) {
    return domainError(
      PRIVACY_ERRORS.notPermitted,
      '无权查看或删除该户成员身份证号码',
      `a ${actor.role} may not ${roles === ID_NUMBER_ERASERS ? 'erase' : 'read'} this household's ID numbers (${roles.join(', ')} of its county only)`,
    );
  }
  if (a.reason.trim().length < 4) return domainError(PRIVACY_ERRORS.reasonMissing, '须说明查看理由', 'state the reason (at least 4 characters)');
  return null;
};

/** A read of clear numbers is decided, and recorded, before anything is decrypted. */
interface Recorded {
  householdId: string;
  countyId: CountyId;
  by: string;
  role: Role;
  reason: string;
  at: string;
}

export const decideIdNumbersRead = (a: IdNumbersAccess & { members: number }, meta: CommandMeta): DomainEvent<'IdNumbersRead', Recorded & { members: number }> | DomainError =>
  check(ID_NUMBER_READERS, a, meta) ?? {
    type: 'IdNumbersRead',
    data: { householdId: a.householdId, countyId: a.countyId, by: meta.actor.userId, role: meta.actor.role, reason: a.reason.trim(), at: meta.now, members: a.members },
  };

export const decideIdNumbersErase = (a: IdNumbersAccess, meta: CommandMeta): DomainEvent<'IdNumbersErased', Recorded> | DomainError =>
  check(ID_NUMBER_ERASERS, a, meta) ?? {
    type: 'IdNumbersErased',
    data: { householdId: a.householdId, countyId: a.countyId, by: meta.actor.userId, role: meta.actor.role, reason: a.reason.trim(), at: meta.now },
  };
