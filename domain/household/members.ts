import type { DomainError } from '../shared/errors';
import { validateResidentId } from './resident-id';
import { zhOf } from '../names/name';
import { RESIDENT_ID_FAILURE_NAMES } from '../names/fields';
import { err, HOUSEHOLD_ERRORS as E } from './errors';
import { maskResidentId, MEMBER_KEY, type Member, type MemberRecord } from './events';

/**
 * A household's member list as the file keeps it: valid, normalized ID numbers (birth dates not
 * after `today`), nobody twice, exactly one householder. Errors give the position and the kind of
 * failure only: an ID number must not end up in an error that may be logged.
 */
export const validateMembers = (members: readonly Member[], today: string): Member[] | DomainError => {
  const seen = new Set<string>();
  const out: Member[] = [];
  for (const [i, m] of members.entries()) {
    const r = validateResidentId(m.idNumber, today);
    if (!r.ok)
      return err(
        E.residentIdInvalid,
        `第${i + 1}名成员的身份证号码无效（${zhOf(RESIDENT_ID_FAILURE_NAMES, r.failure)}）`,
        `member ${i + 1}: invalid resident ID number (${r.failure})`,
        {
          memberIndex: i,
          failure: r.failure,
        },
      );
    if (seen.has(r.normalized)) return err(E.memberDuplicate, `第${i + 1}名成员重复登记`, `member ${i + 1} is listed twice`, { memberIndex: i });
    seen.add(r.normalized);
    out.push({ idNumber: r.normalized, relation: m.relation });
  }
  if (out.filter((m) => m.relation === 'householder').length !== 1) return err(E.householderCount, '每户须有且仅有一名户主', 'a household needs exactly one householder');
  return out;
};

/**
 * The members as the store records them: each one's member key (given by the caller, one per
 * member, in order) and masked number, never the clear number.
 */
export const recordMembers = (members: readonly Member[], memberKeys: readonly string[] | undefined): MemberRecord[] | DomainError => {
  if (!memberKeys || memberKeys.length !== members.length || !memberKeys.every((k) => MEMBER_KEY.test(k)) || new Set(memberKeys).size !== memberKeys.length) {
    return err(E.memberKeysMissing, '缺少成员索引键（每名成员一个）', 'a member key is needed for each member, in order (computed with the deployment salt)');
  }
  return members.map((m, i) => ({ memberKey: memberKeys[i]!, idMasked: maskResidentId(m.idNumber), relation: m.relation }));
};
