import type { Decision } from '../shared/result';
import type { CommandMeta } from '../shared/actor';
import type { DomainError } from '../shared/errors';
import { NOTICE_DAYS } from '../policy/exit-thresholds';
import { authorize, type Action } from '../access';
import { err, HOUSEHOLD_ERRORS as E } from './errors';
import type * as C from './commands';
import type { HouseholdEvent, HouseholdEventData } from './events';
import type { HouseholdState } from './state';

/** What every household command function shares: the gate, event building, time arithmetic. */
export type D = Decision<HouseholdEvent>;
export type Registered = Exclude<HouseholdState, { status: 'unregistered' }>;
export type InRound = Extract<HouseholdState, { round: unknown }>;

/** Durations the decider enforces; the workflows pass shorter ones in tests, production the defaults. */
export interface HouseholdRules {
  readonly exitNoticeMinSeconds: number;
  readonly returnNoticeMinSeconds: number;
  readonly removalNoticeMinSeconds: number;
}
export const DAY = 86_400;
export const DEFAULT_HOUSEHOLD_RULES: HouseholdRules = {
  exitNoticeMinSeconds: NOTICE_DAYS.householdExit.value * DAY,
  returnNoticeMinSeconds: NOTICE_DAYS.returnToPoverty.value * DAY,
  removalNoticeMinSeconds: NOTICE_DAYS.removal.value * DAY,
};

export const PLAN_YEARS = { from: 2014, to: 2020 };
export const ev = <T extends HouseholdEvent['type']>(type: T, data: HouseholdEventData<T>): HouseholdEvent => ({ type, data }) as HouseholdEvent;
export const stamp = (c: { data: { householdId: string }; meta: CommandMeta }) => ({ householdId: c.data.householdId, by: c.meta.actor.userId, at: c.meta.now });
export const secondsBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;
export const isInstant = (s: string): boolean => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s));

/** The first gate of every command on an existing file: it exists, it is this one, the actor may act. */
export const gate = (c: Exclude<C.HouseholdCommand, C.RegisterHousehold>, s: HouseholdState, action: Action): DomainError | Registered => {
  if (s.status === 'unregistered') return err(E.notRegistered, '该户尚未建档立卡', 'the household is not registered');
  if (s.file.householdId !== c.data.householdId) return err(E.idMismatch, '申请事项与档案的户编号不一致', 'the command is for another household');
  if (s.status === 'removed')
    return err(
      E.removed,
      `该户已于${s.removal.year}年退出建档立卡（清退），不再办理任何事项`,
      'the household has been removed from the register: nothing more is done on its file',
      { reason: s.removal.reason },
    );
  const round = 'round' in s ? s.round : undefined;
  return (
    authorize(c.meta.actor, action, {
      countyId: s.file.countyId,
      ...(round?.appraisedBy ? { appraisedBy: round.appraisedBy } : {}),
      ...(round?.checkedBy ? { checkedBy: round.checkedBy } : {}),
    }) ?? s
  );
};
export const isError = (x: DomainError | Registered): x is DomainError => 'code' in x;
