import { deciderSpec } from '../shared/testing';
import type { Actor } from '../shared/actor';
import { COMPLAINT_ROLES, decideComplaint, type ComplaintCommand, type SubjectView } from './decide';
import { PERMISSIONS, type Action } from '../access';
import { ROLES } from '../shared/actor';
import type { ComplaintEvent } from './events';
import { evolveComplaint, initialComplaint, type ComplaintState } from './state';
import { PUBLIC_INTAKE_USER } from './ids';

const T0 = '2019-03-01T02:00:00.000Z';
const RULES = { answerSeconds: 15 * 86_400, escalationSeconds: 5 * 86_400 };
const ROUND = 'br-song-2018-secondary-vocational-grant-01';
const view: SubjectView = { countyId: 'song', roundId: ROUND, paymentId: 'pay-1', householdId: 'hh-song-0001', involved: ['li.county', 'qian.finance'] };

const who = {
  hotline: { userId: 'zhao.county', role: 'county-official', countyId: 'song' } as Actor,
  public: { userId: PUBLIC_INTAKE_USER, role: 'administrator' } as Actor,
  system: { userId: 'system.deadlines', role: 'administrator' } as Actor,
  answerer: { userId: 'sun.county', role: 'county-official', countyId: 'song' } as Actor,
  approver: { userId: 'li.county', role: 'county-official', countyId: 'song' } as Actor,
  otherCounty: { userId: 'he.county', role: 'county-official', countyId: 'ruyang' } as Actor,
  city: { userId: 'ma.city', role: 'city-poverty-office' } as Actor,
  finance: { userId: 'qian2.finance', role: 'county-finance', countyId: 'song' } as Actor,
};

const spec = (v: SubjectView | null = view) =>
  deciderSpec<ComplaintCommand, ComplaintEvent, ComplaintState>({
    decide: (c, s) => decideComplaint(c, v, s, RULES),
    evolve: evolveComplaint,
    initialState: initialComplaint,
  });

const file = (actor: Actor = who.hotline, channel: 'hotline-12317' | 'online' = 'hotline-12317', complaintId = 'cp-song-0001'): ComplaintCommand => ({
  type: 'FileComplaint',
  data: { complaintId, subject: { kind: 'payment', roundId: ROUND, paymentId: 'pay-1' }, channel, category: 'wrong-amount', summary: '助学金少发了' },
  meta: { actor, now: T0 },
});
const filed: ComplaintEvent = {
  type: 'ComplaintFiled',
  data: {
    complaintId: 'cp-song-0001',
    countyId: 'song',
    subject: { kind: 'payment', roundId: ROUND, paymentId: 'pay-1' },
    roundId: ROUND,
    paymentId: 'pay-1',
    householdId: 'hh-song-0001',
    channel: 'hotline-12317',
    category: 'wrong-amount',
    summary: '助学金少发了',
    answerBy: '2019-03-16T02:00:00.000Z',
    by: 'zhao.county',
    at: T0,
  },
};
const escalate = (level: 'county' | 'city', now: string, actor: Actor = who.system): ComplaintCommand => ({ type: 'EscalateComplaint', data: { level }, meta: { actor, now } });
const escalated = (level: 'county' | 'city', at: string, answerBy: string): ComplaintEvent => ({
  type: 'ComplaintEscalated',
  data: { complaintId: 'cp-song-0001', countyId: 'song', roundId: ROUND, paymentId: 'pay-1', householdId: 'hh-song-0001', level, answerBy, by: 'system.deadlines', at },
});
const answer = (actor: Actor, now = '2019-03-10T02:00:00.000Z'): ComplaintCommand => ({
  type: 'AnswerComplaint',
  data: { finding: 'not-upheld', answer: '经核实，按标准足额发放' },
  meta: { actor, now },
});

describe('complaints (申诉、投诉举报)', () => {
  describe('filing', () => {
    it('an official records a 12317 call about a payment: due in 15 days, resolved to the round, payment and household', () => {
      spec().given([]).when(file()).then([filed]);
    });
    it('the public form files under the intake id, channel online', () => {
      const [e] = spec().given([]).when(file(who.public, 'online')).thenAccepts();
      expect(e!.data).toMatchObject({ channel: 'online', by: PUBLIC_INTAKE_USER, householdId: 'hh-song-0001' });
    });
    it('the public form may not claim to be a 12317 call, nor an official an online complaint', () => {
      spec().given([]).when(file(who.public, 'hotline-12317')).thenRefuses('COMPLAINT_CHANNEL');
      spec().given([]).when(file(who.hotline, 'online')).thenRefuses('COMPLAINT_CHANNEL');
    });
    it('an unknown subject is refused', () => {
      spec(null).given([]).when(file()).thenRefuses('COMPLAINT_SUBJECT_UNKNOWN');
    });
    it('an id naming another county than the subject is refused', () => {
      spec()
        .given([])
        .when(file(who.hotline, 'hotline-12317', 'cp-ruyang-0001'))
        .thenRefuses('COMPLAINT_WRONG_COUNTY');
    });
    it("county finance may not record one, nor another county's official", () => {
      spec().given([]).when(file(who.finance)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
      spec().given([]).when(file(who.otherCounty)).thenRefuses('ACCESS_OUT_OF_COUNTY');
    });
    it('the same id twice is refused', () => {
      spec().given([filed]).when(file()).thenRefuses('COMPLAINT_EXISTS');
    });
  });

  describe('when open', () => {
    it('an unanswered complaint escalates to the county, then the city, each with a new due time', () => {
      spec()
        .given([filed])
        .when(escalate('county', '2019-03-16T02:00:01.000Z'))
        .then([escalated('county', '2019-03-16T02:00:01.000Z', '2019-03-21T02:00:01.000Z')]);
      spec()
        .given([filed, escalated('county', '2019-03-16T02:00:01.000Z', '2019-03-21T02:00:01.000Z')])
        .when(escalate('city', '2019-03-21T02:00:02.000Z'))
        .then([escalated('city', '2019-03-21T02:00:02.000Z', '2019-03-26T02:00:02.000Z')]);
    });
    it('escalation goes in order and is the system’s only', () => {
      spec().given([filed]).when(escalate('city', '2019-03-16T02:00:01.000Z')).thenRefuses('COMPLAINT_ESCALATION_OUT_OF_ORDER');
      spec()
        .given([filed])
        .when(escalate('county', '2019-03-16T02:00:01.000Z', who.answerer))
        .thenRefuses('COMPLAINT_ESCALATION_NOT_SYSTEM');
    });
    it('the county answers in time: not late', () => {
      const [e] = spec().given([filed]).when(answer(who.answerer)).thenAccepts();
      expect(e).toMatchObject({ type: 'ComplaintAnswered', data: { finding: 'not-upheld', late: false, paymentId: 'pay-1', by: 'sun.county' } });
    });
    it('an answer after the deadline is late', () => {
      const [e] = spec().given([filed]).when(answer(who.answerer, '2019-03-17T00:00:00.000Z')).thenAccepts();
      expect(e!.data).toMatchObject({ late: true });
    });
    it('whoever decided on the round may not answer about it (回避)', () => {
      spec().given([filed]).when(answer(who.approver)).thenRefuses('COMPLAINT_ANSWERER_INVOLVED');
    });
    it('the city may answer only once it has been told', () => {
      spec().given([filed]).when(answer(who.city)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
      const up = [filed, escalated('county', '2019-03-16T02:00:01.000Z', '2019-03-21T02:00:01.000Z'), escalated('city', '2019-03-21T02:00:02.000Z', '2019-03-26T02:00:02.000Z')];
      const [e] = spec().given(up).when(answer(who.city, '2019-03-22T00:00:00.000Z')).thenAccepts();
      expect(e!.data).toMatchObject({ late: true, by: 'ma.city' });
    });
    it("another county's official may not answer", () => {
      spec().given([filed]).when(answer(who.otherCounty)).thenRefuses('ACCESS_OUT_OF_COUNTY');
    });
  });

  describe('when answered', () => {
    const answered: ComplaintEvent = {
      type: 'ComplaintAnswered',
      data: {
        complaintId: 'cp-song-0001',
        countyId: 'song',
        finding: 'upheld',
        answer: '已补发',
        late: false,
        roundId: ROUND,
        paymentId: 'pay-1',
        householdId: 'hh-song-0001',
        by: 'sun.county',
        at: '2019-03-10T02:00:00.000Z',
      },
    };
    it('neither escalates nor takes a second answer', () => {
      spec().given([filed, answered]).when(escalate('county', '2019-03-16T02:00:01.000Z')).thenRefuses('COMPLAINT_ANSWERED');
      spec().given([filed, answered]).when(answer(who.answerer)).thenRefuses('COMPLAINT_ANSWERED');
    });
  });

  describe('when none', () => {
    it('there is nothing to escalate or answer', () => {
      spec().given([]).when(escalate('county', T0)).thenRefuses('COMPLAINT_NOT_FOUND');
      spec().given([]).when(answer(who.answerer)).thenRefuses('COMPLAINT_NOT_FOUND');
    });
  });
});

describe('who may record and answer', () => {
  it('mirrors domain/access: the API checks the same roles before the case is asked', () => {
    const holders = (action: Action) => ROLES.filter((r) => PERMISSIONS[r].includes(action));
    expect(holders('complaint.record').sort()).toEqual([...COMPLAINT_ROLES.record].sort());
    expect(holders('complaint.answer').sort()).toEqual([...COMPLAINT_ROLES.answerAfterCity].sort());
  });
});
