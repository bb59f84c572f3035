import type { CountyId } from '../reference/counties';
import type { ComplaintEvent } from './events';
import type { ComplaintCategory, ComplaintChannel, ComplaintEscalationLevel, ComplaintFinding } from './ids';
import type { ComplaintSubject } from './events';

export interface OpenComplaint {
  readonly status: 'open';
  readonly complaintId: string;
  readonly countyId: CountyId;
  readonly subject: ComplaintSubject;
  readonly roundId: string | null;
  readonly paymentId: string | null;
  readonly householdId: string | null;
  readonly channel: ComplaintChannel;
  readonly category: ComplaintCategory;
  readonly summary: string;
  readonly filedBy: string;
  readonly filedAt: string;
  /** When the answer is due: the first deadline, then each escalation's. */
  readonly answerBy: string;
  /** The last level told (督办), if any. */
  readonly escalation: ComplaintEscalationLevel | null;
}

export type AnsweredComplaint = Omit<OpenComplaint, 'status'> & {
  readonly status: 'answered';
  readonly finding: ComplaintFinding;
  readonly answer: string;
  readonly answeredBy: string;
  readonly answeredAt: string;
  readonly late: boolean;
};

export type ComplaintState = { readonly status: 'none' } | OpenComplaint | AnsweredComplaint;

export const initialComplaint = (): ComplaintState => ({ status: 'none' });

export const evolveComplaint = (s: ComplaintState, e: ComplaintEvent): ComplaintState => {
  switch (e.type) {
    case 'ComplaintFiled': {
      const d = e.data;
      return {
        status: 'open',
        complaintId: d.complaintId,
        countyId: d.countyId,
        subject: d.subject,
        roundId: d.roundId,
        paymentId: d.paymentId,
        householdId: d.householdId,
        channel: d.channel,
        category: d.category,
        summary: d.summary,
        filedBy: d.by,
        filedAt: d.at,
        answerBy: d.answerBy,
        escalation: null,
      };
    }
    case 'ComplaintEscalated':
      return s.status === 'open' ? { ...s, escalation: e.data.level, answerBy: e.data.answerBy } : s;
    case 'ComplaintAnswered':
      return s.status === 'open'
        ? { ...s, status: 'answered', finding: e.data.finding, answer: e.data.answer, answeredBy: e.data.by, answeredAt: e.data.at, late: e.data.late }
        : s;
  }
};
