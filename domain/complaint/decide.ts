import { authorizeStep } from '../benefit/authorize';
import type { CountyId } from '../reference/counties';
import type { CommandMeta, Role } from '../shared/actor';
import { domainError } from '../shared/errors';
import { addSeconds } from '../shared/ids';
import { accept, refuse, type Decision } from '../shared/result';
import type { ComplaintEvent, ComplaintSubject } from './events';
import { COMPLAINT_ESCALATION_LEVELS, PUBLIC_INTAKE_USER, type ComplaintCategory, type ComplaintChannel, type ComplaintEscalationLevel, type ComplaintFinding } from './ids';
import type { ComplaintState } from './state';

/**
 * What the store says the subject is, found by the caller before deciding: the county it belongs
 * to, the household and payment it resolves to, and who decided on the round (drafted, reviewed,
 * approved, paid), since none of them may answer a complaint about it (回避). Null: not found.
 */
export interface SubjectView {
  readonly countyId: CountyId;
  readonly roundId: string | null;
  readonly paymentId: string | null;
  readonly householdId: string | null;
  readonly involved: readonly string[];
}

/** Durations in seconds: the policy's days times the day's length (86,400 s, or a test's scaled day). */
export interface ComplaintRules {
  readonly answerSeconds: number;
  readonly escalationSeconds: number;
}

export type FileComplaint = {
  readonly type: 'FileComplaint';
  readonly data: { complaintId: string; subject: ComplaintSubject; channel: ComplaintChannel; category: ComplaintCategory; summary: string };
  readonly meta: CommandMeta;
};
/** The workflow's own, when the answer is late. */
export type EscalateComplaint = { readonly type: 'EscalateComplaint'; readonly data: { level: ComplaintEscalationLevel }; readonly meta: CommandMeta };
export type AnswerComplaint = { readonly type: 'AnswerComplaint'; readonly data: { finding: ComplaintFinding; answer: string }; readonly meta: CommandMeta };
export type ComplaintCommand = FileComplaint | EscalateComplaint | AnswerComplaint;

/**
 * Who records a complaint: an official taking a 12317 call, a visit or a letter (township, county,
 * city, inspectors); the public form comes in under the intake's system id. The county's poverty
 * office answers; once the city has been told, the city office may answer too.
 */
export const COMPLAINT_ROLES = {
  record: ['township-official', 'county-official', 'city-poverty-office', 'inspector', 'province-poverty-office'] as readonly Role[],
  answer: ['county-official'] as readonly Role[],
  answerAfterCity: ['county-official', 'city-poverty-office'] as readonly Role[],
};

export const complaintErrors = {
  exists: () => domainError('COMPLAINT_EXISTS', '该投诉编号已存在', 'a complaint with this id exists'),
  notFound: () => domainError('COMPLAINT_NOT_FOUND', '没有该投诉', 'no such complaint'),
  subjectUnknown: () => domainError('COMPLAINT_SUBJECT_UNKNOWN', '投诉对象不存在：没有该批次、该笔发放或该户', 'the subject is unknown: no such round, payment or household'),
  wrongCounty: (subjectCounty: string, idCounty: string) =>
    domainError('COMPLAINT_WRONG_COUNTY', '投诉编号中的县与投诉对象所在县不符', `the complaint id names ${idCounty}, the subject is in ${subjectCounty}`, {
      subjectCounty,
      idCounty,
    }),
  channel: (channel: string) =>
    domainError(
      'COMPLAINT_CHANNEL',
      channel === 'online' ? '网上投诉只能经公开受理入口提交' : '来电、来访、来信须由受理干部登记',
      channel === 'online' ? 'an online complaint comes only through the public form' : 'a 12317 call, a visit or a letter is recorded by the official who took it',
      { channel },
    ),
  closed: () => domainError('COMPLAINT_ANSWERED', '该投诉已答复办结', 'the complaint has been answered'),
  involved: () =>
    domainError(
      'COMPLAINT_ANSWERER_INVOLVED',
      '经办该批次的人员须回避，不得答复针对该批次的投诉',
      'whoever drafted, reviewed, approved or paid the round may not answer a complaint about it',
    ),
  escalationOrder: () => domainError('COMPLAINT_ESCALATION_OUT_OF_ORDER', '督办须按县、市逐级上报', 'escalation goes to the county, then the city'),
  notSystem: () => domainError('COMPLAINT_ESCALATION_NOT_SYSTEM', '逾期督办由系统按期限发起', 'escalation is the deadline’s, not a person’s'),
};

const stamp = (meta: CommandMeta) => ({ by: meta.actor.userId, at: meta.now });
const resolvedOf = (s: { roundId: string | null; paymentId: string | null; householdId: string | null }) => ({
  roundId: s.roundId,
  paymentId: s.paymentId,
  householdId: s.householdId,
});

/** The next level to tell, or undefined once the city has been told. */
export const nextEscalation = (s: { readonly escalation: ComplaintEscalationLevel | null }): ComplaintEscalationLevel | undefined =>
  COMPLAINT_ESCALATION_LEVELS[s.escalation === null ? 0 : COMPLAINT_ESCALATION_LEVELS.indexOf(s.escalation) + 1];

export const decideComplaint = (c: ComplaintCommand, view: SubjectView | null, s: ComplaintState, rules: ComplaintRules): Decision<ComplaintEvent> => {
  switch (c.type) {
    case 'FileComplaint': {
      if (s.status !== 'none') return refuse(complaintErrors.exists());
      const isPublic = c.meta.actor.userId === PUBLIC_INTAKE_USER;
      if (isPublic !== (c.data.channel === 'online')) return refuse(complaintErrors.channel(c.data.channel));
      if (view === null) return refuse(complaintErrors.subjectUnknown());
      const idCounty = c.data.complaintId.split('-')[1]!;
      if (idCounty !== view.countyId) return refuse(complaintErrors.wrongCounty(view.countyId, idCounty));
      if (!isPublic) {
        const denied = authorizeStep(c.meta, COMPLAINT_ROLES.record, view.countyId);
        if (denied) return refuse(denied);
      }
      return accept({
        type: 'ComplaintFiled',
        data: {
          ...c.data,
          ...stamp(c.meta),
          countyId: view.countyId,
          roundId: view.roundId,
          paymentId: view.paymentId,
          householdId: view.householdId,
          answerBy: addSeconds(c.meta.now, rules.answerSeconds),
        },
      });
    }
    case 'EscalateComplaint': {
      if (s.status === 'none') return refuse(complaintErrors.notFound());
      if (s.status === 'answered') return refuse(complaintErrors.closed());
      if (!/^system[.]/.test(c.meta.actor.userId)) return refuse(complaintErrors.notSystem());
      if (nextEscalation(s) !== c.data.level) return refuse(complaintErrors.escalationOrder());
      return accept({
        type: 'ComplaintEscalated',
        data: {
          complaintId: s.complaintId,
          countyId: s.countyId,
          ...resolvedOf(s),
          level: c.data.level,
          answerBy: addSeconds(c.meta.now, rules.escalationSeconds),
          ...stamp(c.meta),
        },
      });
    }
    case 'AnswerComplaint': {
      if (s.status === 'none') return refuse(complaintErrors.notFound());
      if (s.status === 'answered') return refuse(complaintErrors.closed());
      const denied = authorizeStep(c.meta, s.escalation === 'city' ? COMPLAINT_ROLES.answerAfterCity : COMPLAINT_ROLES.answer, s.countyId);
      if (denied) return refuse(denied);
      if (view?.involved.includes(c.meta.actor.userId)) return refuse(complaintErrors.involved());
      return accept({
        type: 'ComplaintAnswered',
        data: {
          complaintId: s.complaintId,
          countyId: s.countyId,
          finding: c.data.finding,
          answer: c.data.answer,
          late: s.escalation !== null || Date.parse(c.meta.now) > Date.parse(s.answerBy),
          ...resolvedOf(s),
          ...stamp(c.meta),
        },
      });
    }
  }
};
