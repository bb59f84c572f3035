import { deciderSpec } from '../shared/testing';
import { householdDecider } from './index';
import { makeDecide } from './decide';
import { evolve } from './evolve';
import { initialState, keepsPolicies, poorMembers } from './state';
import { composeResidentId } from './resident-id';
import { ALL_MET, cmd, historyOf, HH, keysOf, MEMBERS, register, steps, T, TO_STATE, yuan } from './fixtures';
import { HouseholdRegistered } from './events';

const spec = deciderSpec(householdDecider);
const stateOf = (commands: Parameters<typeof historyOf>[0]) => historyOf(commands).reduce(evolve, initialState());

describe('household: golden examples read like the plan', () => {
  it('a 嵩县 household of 3 with 3,612 yuan per head in 2018 exits under the 2018 line 3,535, with every step on record', () => {
    const events = historyOf(TO_STATE.exited);
    const assessed = events.find((e) => e.type === 'HouseholdAssessedForExit')!;
    expect(assessed.data).toMatchObject({ year: 2018, eligible: true, perCapitaIncome: 361_200, threshold: 353_500, policy: { id: 'poverty-line', version: 2, year: 2018 } });
    const announced = events.at(-1)!;
    expect(announced.type).toBe('HouseholdExitAnnounced');
    expect(announced.data).toMatchObject({ householdId: HH, countyId: 'song', year: 2018, memberCount: 3, by: 'co-song-01' });
    expect((announced.data as { explanation: { en: string } }).explanation.en).toBe(
      'meets the 2018 exit standard (poverty-line/v2/2018): income 3,612.00元 > 3,535.00元; two worries and three guarantees all met; stable income source',
    );
    expect(events.map((e) => e.type)).toEqual([
      'HouseholdRegistered',
      'HouseholdIncomeRecorded',
      'HouseholdGuaranteesUpdated',
      'HouseholdAssessedForExit',
      'HouseholdVillageAppraised',
      'HouseholdWorkTeamChecked',
      'HouseholdConsentRecorded',
      'HouseholdExitNoticePosted',
      'HouseholdTownshipReviewed',
      'HouseholdExitAnnounced',
    ]);
    const s = events.reduce(evolve, initialState());
    expect(poorMembers(s)).toBe(0);
    expect(keepsPolicies(s, 2019)).toBe(true); // 脱贫不脱政策
    expect(keepsPolicies(s, 2021)).toBe(false);
  });

  it('the same household with exactly 3,535 yuan is not above the 2018 line and stays poor', () => {
    const given = historyOf([
      register(),
      cmd('RecordIncome', { year: 2018, perCapitaIncome: yuan(3535), stableIncomeSource: true }, 'work-team', T.income),
      cmd('UpdateGuarantees', { year: 2018, guarantees: ALL_MET }, 'work-team', T.income),
    ]);
    const [e] = spec.given(given).when(steps.assess()).thenAccepts();
    expect(e!.data).toMatchObject({ eligible: false, failures: [{ test: 'income-above-line' }] });
    expect(spec.given([...given, e!]).when(steps.appraise()).state.status).toBe('poor');
    spec
      .given([...given, e!])
      .when(steps.appraise())
      .thenRefuses('EXIT_NOT_ASSESSED');
  });

  it('income above the line is not enough: unsafe housing and no stable income are each named', () => {
    const given = historyOf([
      register(),
      cmd('RecordIncome', { year: 2018, perCapitaIncome: yuan(5000), stableIncomeSource: false }, 'work-team', T.income),
      cmd('UpdateGuarantees', { year: 2018, guarantees: { ...ALL_MET, safeHousing: false } }, 'work-team', T.income),
    ]);
    const [e] = spec.given(given).when(steps.assess()).thenAccepts();
    expect((e!.data as { failures: { test: string }[] }).failures.map((f) => f.test)).toEqual(['stable-income-source', 'safeHousing']);
  });
});

describe('household: registration', () => {
  it('keeps clear ID numbers out of the event: each member is its key and a masked number', () => {
    const lower = { ...register(), data: { ...register().data, members: MEMBERS.map((m) => ({ ...m, idNumber: m.idNumber.toLowerCase() })) } };
    const [e] = spec.given([]).when(lower).thenAccepts();
    const members = (e!.data as { members: Record<string, unknown>[] }).members;
    expect(members).toEqual(MEMBERS.map((m, i) => ({ memberKey: keysOf(MEMBERS)[i], idMasked: `${m.idNumber.slice(0, 6)}********${m.idNumber.slice(14)}`, relation: m.relation })));
    for (const m of MEMBERS) expect(JSON.stringify(e!.data)).not.toContain(m.idNumber.slice(6, 14));
  });
  it('refuses a member list without one member key per member', () => {
    for (const memberKeys of [undefined, keysOf(MEMBERS).slice(1), ['mk1-x', ...keysOf(MEMBERS).slice(1)]]) {
      const c = { ...register(), data: { ...register().data, memberKeys } };
      const r = householdDecider.decide(c, initialState());
      expect(r.ok ? 'accepted' : r.error.code).toBe('HOUSEHOLD_MEMBER_KEYS_MISSING');
    }
  });
  it('reads a version-1 event (clear numbers) without them', () => {
    const v1 = { ...register().data, at: register().meta.now, by: 'co-song-01', members: MEMBERS };
    delete (v1 as { memberKeys?: unknown }).memberKeys;
    const past = HouseholdRegistered.past![0]!;
    const up = HouseholdRegistered.schema.parse(past.upcast(past.schema.parse(v1)));
    expect(up.members.map((m) => m.memberKey)).toEqual([null, null, null]);
    for (const m of MEMBERS) expect(JSON.stringify(up)).not.toContain(m.idNumber.slice(6, 14));
  });
  it('refuses a bad check digit without echoing the number', () => {
    const bad = MEMBERS[1]!.idNumber.slice(0, 17) + (MEMBERS[1]!.idNumber[17] === '0' ? '1' : '0');
    const c = { ...register(), data: { ...register().data, members: [MEMBERS[0]!, { ...MEMBERS[1]!, idNumber: bad }] } };
    const r = householdDecider.decide(c, initialState());
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('RESIDENT_ID_INVALID');
      expect(JSON.stringify(r.error)).not.toContain(bad.slice(0, 14));
    }
  });
  it('a refusal never repeats any digits of the number (region, birth date)', () => {
    const bad = '410325198002300012';
    const c = { ...register(), data: { ...register().data, members: [MEMBERS[0]!, { idNumber: bad, relation: 'child' as const }] } };
    const r = householdDecider.decide(c, initialState());
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('RESIDENT_ID_INVALID');
      expect(JSON.stringify(r.error)).not.toMatch(/410325|19800230/);
    }
  });
  it('refuses a birth date after the command date', () => {
    const c = {
      ...register('2016-03-01T08:00:00+08:00'),
      data: { ...register().data, members: [MEMBERS[0]!, { idNumber: composeResidentId('410325', '20160302', 1), relation: 'child' as const }] },
    };
    spec.given([]).when(c).thenRefuses('RESIDENT_ID_INVALID');
  });
  it('refuses the same person twice', () => {
    spec
      .given([])
      .when({ ...register(), data: { ...register().data, members: [MEMBERS[0]!, { ...MEMBERS[0]!, relation: 'child' }] } })
      .thenRefuses('HOUSEHOLD_MEMBER_DUPLICATE');
  });
  it('needs exactly one householder', () => {
    spec
      .given([])
      .when({ ...register(), data: { ...register().data, members: MEMBERS.slice(1) } })
      .thenRefuses('HOUSEHOLD_NEEDS_ONE_HOUSEHOLDER');
  });
  it('refuses repeated causes', () => {
    spec
      .given([])
      .when({ ...register(), data: { ...register().data, causes: ['illness', 'illness'] } })
      .thenRefuses('HOUSEHOLD_CAUSE_DUPLICATE');
  });
  it('refuses an id or a village of another county', () => {
    spec
      .given([])
      .when({ ...register(), data: { ...register().data, householdId: 'hh-luanchuan-1' } })
      .thenRefuses('HOUSEHOLD_ID_NOT_FOR_COUNTY');
    spec
      .given([])
      .when({ ...register(), data: { ...register().data, villageId: 'vil-luanchuan-1' } })
      .thenRefuses('HOUSEHOLD_VILLAGE_NOT_FOR_COUNTY');
  });
  it('refuses a year outside the plan', () => {
    spec
      .given([])
      .when({ ...register(), data: { ...register().data, registeredYear: 2013 } })
      .thenRefuses('HOUSEHOLD_YEAR_OUT_OF_PLAN');
  });
  it('refuses a county official of another county, and an auditor', () => {
    spec
      .given([])
      .when({ ...register(), meta: { ...register().meta, actor: { userId: 'co-lc-01', role: 'county-official', countyId: 'luanchuan' } } })
      .thenRefuses('ACCESS_OUT_OF_COUNTY');
    spec
      .given([])
      .when({ ...register(), meta: { ...register().meta, actor: { userId: 'aud-01', role: 'auditor' } } })
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
  });
});

describe('household: yearly records', () => {
  it('refuses an income year earlier than the latest', () => {
    spec
      .given(historyOf(TO_STATE.poor))
      .when(cmd('RecordIncome', { year: 2017, perCapitaIncome: yuan(3000), stableIncomeSource: true }, 'work-team', T.income))
      .thenRefuses('HOUSEHOLD_RECORD_YEAR_BEFORE_LATEST');
  });
  it('refuses an assessment without that year’s income or guarantee check', () => {
    spec
      .given(historyOf([register()]))
      .when(steps.assess())
      .thenRefuses('EXIT_INCOME_NOT_RECORDED_FOR_YEAR');
    spec
      .given(historyOf([register(), cmd('RecordIncome', { year: 2018, perCapitaIncome: yuan(3612), stableIncomeSource: true }, 'work-team', T.income)]))
      .when(steps.assess())
      .thenRefuses('EXIT_GUARANTEES_NOT_CHECKED_FOR_YEAR');
  });
  it('refuses a year with no line', () => {
    spec
      .given(historyOf(TO_STATE.poor))
      .when(cmd('AssessForExit', { year: 2021 }, 'work-team', T.assess))
      .thenRefuses('NO_POVERTY_LINE_FOR_YEAR');
  });
  it('a fall in income during the round takes the household out of it', () => {
    const events = spec
      .given(historyOf(TO_STATE.consented))
      .when(cmd('RecordIncome', { year: 2018, perCapitaIncome: yuan(3400), stableIncomeSource: true }, 'work-team', T.consent))
      .thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['HouseholdIncomeRecorded', 'HouseholdRemovedFromExitRound']);
    expect(events[1]!.data).toMatchObject({ reason: 'no-longer-eligible' });
  });
  it('a new year’s record does not disturb the round of the year before', () => {
    const events = spec
      .given(historyOf(TO_STATE.consented))
      .when(cmd('RecordIncome', { year: 2019, perCapitaIncome: yuan(100), stableIncomeSource: true }, 'work-team', T.consent))
      .thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['HouseholdIncomeRecorded']);
  });
});

describe('household: the exit steps cannot be skipped or hurried', () => {
  it('no consent, no exit: a refusal ends the round and the county cannot announce', () => {
    const given = historyOf(TO_STATE.checked);
    const events = spec.given(given).when(steps.consent(false)).thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['HouseholdConsentRecorded', 'HouseholdRemovedFromExitRound']);
    spec
      .given([...given, ...events])
      .when(steps.announce())
      .thenRefuses('EXIT_NOT_ASSESSED');
  });
  it('announcing straight after the work-team check is 被脱贫 and refused', () => {
    spec.given(historyOf(TO_STATE.checked)).when(steps.announce()).thenRefuses('EXIT_CONSENT_MISSING');
  });
  it('withdrawn consent during the notice ends the round', () => {
    const events = spec
      .given(historyOf(TO_STATE['in-notice']))
      .when(cmd('WithdrawConsent', { recordRef: 'w-1' }, 'work-team', T.duringNotice))
      .thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['HouseholdConsentWithdrawn', 'HouseholdRemovedFromExitRound']);
  });
  it('a notice shorter than 7 days is refused; exactly 7 days is accepted', () => {
    const given = historyOf(TO_STATE.consented);
    spec.given(given).when(steps.notice('2018-11-15T08:59:59+08:00')).thenRefuses('EXIT_NOTICE_TOO_SHORT');
    spec
      .given(given)
      .when(steps.notice('2018-11-15T09:00:00+08:00'))
      .then([{ type: 'HouseholdExitNoticePosted', data: { householdId: HH, by: 'tw-song-01', at: T.notice, endsAt: '2018-11-15T01:00:00.000Z', minimumSeconds: 604_800 } }]);
  });
  it('the township cannot review and the county cannot announce while the notice runs', () => {
    const given = historyOf(TO_STATE['in-notice']);
    spec.given(given).when(steps.review(true, T.duringNotice)).thenRefuses('EXIT_NOTICE_RUNNING');
    spec.given(given).when(steps.announce(T.duringNotice)).thenRefuses('EXIT_NOTICE_RUNNING');
    spec.given(given).when(steps.announce(T.review)).thenRefuses('EXIT_TOWNSHIP_REVIEW_MISSING');
  });
  it('an objection during the notice removes the household from the round and blocks the next until resolved', () => {
    const given = historyOf(TO_STATE['in-notice']);
    const events = spec.given(given).when(steps.objection()).thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['HouseholdExitObjectionRaised', 'HouseholdRemovedFromExitRound']);
    const after = [...given, ...events];
    spec.given(after).when(steps.review()).thenRefuses('EXIT_NOT_ASSESSED');
    spec.given(after).when(steps.announce()).thenRefuses('EXIT_NOT_ASSESSED');
    spec.given(after).when(steps.assess()).thenRefuses('EXIT_OBJECTION_OPEN');
    const resolved = [...after, ...spec.given(after).when(steps.resolve()).thenAccepts()];
    spec.given(resolved).when(steps.assess()).thenAccepts();
  });
  it('the township may reject; the household is back to poor', () => {
    const events = spec.given(historyOf(TO_STATE['in-notice'])).when(steps.review(false)).thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['HouseholdTownshipReviewed', 'HouseholdRemovedFromExitRound']);
  });
  it('a village appraisal or work-team check that says no ends the round', () => {
    expect(spec.given(historyOf(TO_STATE.assessed)).when(steps.appraise(false)).thenAccepts()[1]!.data).toMatchObject({ reason: 'village-appraisal-rejected' });
    expect(spec.given(historyOf(TO_STATE.appraised)).when(steps.check(false)).thenAccepts()[1]!.data).toMatchObject({ reason: 'work-team-not-confirmed' });
  });
  it('each step has its role: a township official cannot announce, a county official cannot act as the work team', () => {
    spec
      .given(historyOf(TO_STATE['township-reviewed']))
      .when(cmd('AnnounceExit', {}, 'township-official', T.announce))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec
      .given(historyOf(TO_STATE.appraised))
      .when(cmd('CheckByWorkTeam', { confirmed: true, findings: '' }, 'county-official', T.check))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec
      .given(historyOf(TO_STATE.appraised))
      .when(cmd('CheckByWorkTeam', { confirmed: true, findings: '' }, 'work-team', T.check, 'ruyang'))
      .thenRefuses('ACCESS_OUT_OF_COUNTY');
  });
  it('a command for another household is refused', () => {
    const c = steps.assess();
    spec
      .given(historyOf(TO_STATE.poor))
      .when({ ...c, data: { ...c.data, householdId: 'hh-song-999' } })
      .thenRefuses('HOUSEHOLD_ID_MISMATCH');
  });
  it('workflow tests may use seconds: the durations are the decider’s parameters', () => {
    const quick = makeDecide({ exitNoticeMinSeconds: 5, returnNoticeMinSeconds: 3, removalNoticeMinSeconds: 4 });
    const state = historyOf(TO_STATE.consented).reduce(evolve, initialState());
    const r = quick(steps.notice('2018-11-08T09:00:05+08:00'), state);
    expect(r.ok).toBe(true);
  });
  it('refuses a notice end that is not an instant', () => {
    spec.given(historyOf(TO_STATE.consented)).when(steps.notice('next week')).thenRefuses('INVALID_INSTANT');
  });
});

describe('household: after exit (脱贫不脱政策, monitoring, return, re-entry)', () => {
  it('income of 4,000 yuan in 2019 is below 1.5 × 3,747 = 5,620.50 and flags the household', () => {
    const events = spec.given(historyOf(TO_STATE.exited)).when(steps.lowIncome2019()).thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['HouseholdIncomeRecorded', 'HouseholdFlaggedForReturnRisk']);
    expect(events[1]!.data).toMatchObject({ reasons: ['income-below-monitoring-line'], monitoringThreshold: 562_050, policy: { id: 'monitoring', version: 1, year: 2019 } });
  });
  it('a 2019 flag says the 1.5 × line is a 2020 rule applied backwards', () => {
    const events = spec.given(historyOf(TO_STATE.exited)).when(steps.lowIncome2019()).thenAccepts();
    expect(events[1]!.data).toMatchObject({
      explanation: { zh: expect.stringContaining('1.5倍监测线是2020年的规定'), en: expect.stringContaining('a 2020 rule, applied back to 2019') },
    });
  });
  it('income at 1.5 × the line is not flagged', () => {
    const events = spec
      .given(historyOf(TO_STATE.exited))
      .when(cmd('RecordIncome', { year: 2019, perCapitaIncome: 562_050 as never, stableIncomeSource: true }, 'work-team', T.monitor))
      .thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['HouseholdIncomeRecorded']);
  });
  it('a lost guarantee flags the household', () => {
    const events = spec
      .given(historyOf(TO_STATE.exited))
      .when(cmd('UpdateGuarantees', { year: 2019, guarantees: { ...ALL_MET, medicalInsurance: false } }, 'work-team', T.monitor))
      .thenAccepts();
    expect(events[1]!.data).toMatchObject({ reasons: ['guarantee-lost'] });
  });
  it('the county may clear the flag after the visit, without a notice', () => {
    spec.given(historyOf(TO_STATE['return-visited'])).when(steps.decideReturn(false)).thenAccepts();
    expect(stateOf([...TO_STATE['return-visited'], steps.decideReturn(false)]).status).toBe('exited');
  });
  it('a return needs the full 5-day notice', () => {
    spec.given(historyOf(TO_STATE['return-visited'])).when(steps.returnNotice('2019-10-31T08:59:59+08:00')).thenRefuses('RETURN_NOTICE_TOO_SHORT');
    spec.given(historyOf(TO_STATE['return-notice'])).when(steps.decideReturn(true, '2019-10-30T09:00:00+08:00')).thenRefuses('RETURN_NOTICE_RUNNING');
  });
  it('after the return the household is poor again, counted again, and can exit again', () => {
    const s = stateOf([...TO_STATE['return-notice'], steps.decideReturn(true)]);
    expect(s.status).toBe('poor');
    expect(poorMembers(s)).toBe(3);
    if (s.status === 'poor') expect(s.file).toMatchObject({ timesExited: 1, timesReturned: 1 });
    const again = [
      ...TO_STATE['return-notice'],
      steps.decideReturn(true),
      cmd('RecordIncome', { year: 2020, perCapitaIncome: yuan(4500), stableIncomeSource: true }, 'work-team', '2020-10-01T09:00:00+08:00'),
      cmd('UpdateGuarantees', { year: 2020, guarantees: ALL_MET }, 'work-team', '2020-10-01T09:00:00+08:00'),
    ];
    spec
      .given(historyOf(again))
      .when(cmd('AssessForExit', { year: 2020 }, 'work-team', '2020-10-02T09:00:00+08:00'))
      .thenAccepts();
  });
});

describe('household: a cleared flag stays cleared until new facts say otherwise', () => {
  it('a guarantee update with all met after clearing does not re-flag on the old income', () => {
    const cleared = [...TO_STATE['return-visited'], steps.decideReturn(false)];
    const events = spec
      .given(historyOf(cleared))
      .when(cmd('UpdateGuarantees', { year: 2019, guarantees: ALL_MET }, 'work-team', T.later))
      .thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['HouseholdGuaranteesUpdated']);
  });
  it('the flag explains a lost guarantee in words', () => {
    const events = spec
      .given(historyOf(TO_STATE.exited))
      .when(cmd('UpdateGuarantees', { year: 2019, guarantees: { ...ALL_MET, safeHousing: false } }, 'work-team', T.monitor))
      .thenAccepts();
    expect((events[1]!.data as { explanation: { en: string } }).explanation.en).toBe('guarantees lost: safe housing');
  });
});

describe('household: member changes', () => {
  it('the file keeps the current members: a household that shrank to two counts two when it returns', () => {
    const s = stateOf([...TO_STATE['return-notice'], cmd('UpdateMembers', { year: 2019, members: MEMBERS.slice(0, 2) }, 'work-team', T.later), steps.decideReturn(true)]);
    expect(s.status).toBe('poor');
    expect(poorMembers(s)).toBe(2);
  });
  it('member lists are validated like a registration', () => {
    spec
      .given(historyOf(TO_STATE.poor))
      .when(cmd('UpdateMembers', { year: 2018, members: MEMBERS.slice(1) }, 'work-team', T.income))
      .thenRefuses('HOUSEHOLD_NEEDS_ONE_HOUSEHOLDER');
    spec
      .given(historyOf(TO_STATE.poor))
      .when(cmd('UpdateMembers', { year: 2018, members: [...MEMBERS, MEMBERS[2]!] }, 'work-team', T.income))
      .thenRefuses('HOUSEHOLD_MEMBER_DUPLICATE');
  });
});

describe('household exit: separation of duties (村两委 appraise, the work team checks, someone else records consent)', () => {
  const as = <X extends { meta: { actor: { userId: string; role: string } } }>(c: X, userId: string, role: string, countyId = 'song'): X =>
    ({ ...c, meta: { ...c.meta, actor: { userId, role, countyId } } }) as X;
  it('民主评议 is the 村两委’s: the work team and the township may no longer appraise', () => {
    spec
      .given(historyOf(TO_STATE.assessed))
      .when(as(steps.appraise(), 'wt-song-01', 'work-team'))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec
      .given(historyOf(TO_STATE.assessed))
      .when(as(steps.appraise(), 'tw-song-01', 'township-official'))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    expect(spec.given(historyOf(TO_STATE.assessed)).when(steps.appraise()).thenAccepts()[0]!.data).toMatchObject({ by: 'vc-song-042' });
  });
  it('whoever appraised a household may not check it', () => {
    spec
      .given(historyOf(TO_STATE.appraised))
      .when(as(steps.check(), 'vc-song-042', 'work-team'))
      .thenRefuses('ACCESS_APPRAISER_CANNOT_CHECK');
  });
  it('whoever checked or appraised a household may not record its consent', () => {
    spec
      .given(historyOf(TO_STATE.checked))
      .when(as(steps.consent(), 'wt-song-01', 'work-team'))
      .thenRefuses('ACCESS_CHECKER_CANNOT_RECORD_CONSENT');
    spec
      .given(historyOf(TO_STATE.checked))
      .when(as(steps.consent(), 'vc-song-042', 'township-official'))
      .thenRefuses('ACCESS_CHECKER_CANNOT_RECORD_CONSENT');
    spec
      .given(historyOf(TO_STATE.checked))
      .when(as(steps.consent(), 'wt-song-02', 'work-team'))
      .thenAccepts();
  });
});
