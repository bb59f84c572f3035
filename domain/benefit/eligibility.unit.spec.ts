import { assessHousehold, resolveStandards } from './eligibility';
import { household, member, student } from './fixtures';
import { BENEFIT_PROGRAMMES, PROGRAMME_IDS, periodKindOf, programmeOf } from './programmes';
import type { HouseholdBenefitFacts } from './facts';

const P = BENEFIT_PROGRAMMES;
const std = (id: keyof typeof P, given = {}) => {
  const r = resolveStandards(P[id], given);
  if (!r.ok) throw new Error(r.error.en);
  return r.standards;
};
const assess = (id: keyof typeof P, h: HouseholdBenefitFacts, period: string, given = {}) => assessHousehold(P[id], h, period, std(id, given), 'song');
const amountOf = (r: ReturnType<typeof assess>) => (r.ok ? r.line.amount : r.error.code);

describe('The programme catalogue (versioned policy data)', () => {
  it('holds the nine programmes the plan pays to households, each with zh/en name, clause, sources, category, rule, amount, period and evidence', () => {
    expect(PROGRAMME_IDS).toHaveLength(9);
    for (const id of PROGRAMME_IDS) {
      const p = P[id];
      expect([p.zh.length > 0, p.en.length > 0, p.clause.source.length > 0, p.sources.length > 0, p.evidence.includes('account')]).toEqual([true, true, true, true, true]);
      expect(['plan', 'national-policy', 'national-statistics', 'assumption']).toContain(p.clause.origin);
    }
  });
  it('takes the 中职 grant of 2,000元 from the plan (plan:289), the one figure domain/reference holds', () =>
    expect(P['secondary-vocational-grant'].amount).toMatchObject({ kind: 'per-person', bound: 'exact', standard: { value: 200_000, origin: 'plan', verified: true } }));
  it('derives the relocation cap from the plan: 370,741.24万 for 61,381 people is exactly 60,400元 each', () => {
    expect(370_741_2400_00 % 61_381).toBe(0);
    expect(P['relocation-subsidy'].amount).toMatchObject({ standard: { value: 370_741_2400_00 / 61_381, origin: 'plan', verified: true } });
  });
  it('takes the boarding and 特困 floors from the plan (1,000/1,250元; 4,000/3,000元)', () => {
    expect(std('boarding-allowance')).toEqual({ primary: 100_000, junior: 125_000 });
    expect(std('extreme-poverty-support')).toEqual({ centralised: 400_000, dispersed: 300_000 });
  });
  it('knows each period kind', () => expect(['2018', '2018-s1', '2018-07', '2018-once'].map(periodKindOf)).toEqual(['year', 'semester', 'month', 'once']));
  it('finds programmes by id and nothing else', () => expect([programmeOf('boarding-allowance')?.zh, programmeOf('toString')]).toEqual(['寄宿生生活补助', undefined]));
});

describe('Standards the county states', () => {
  it('may pay above a floor, never below', () => {
    expect(resolveStandards(P['extreme-poverty-support'], { dispersed: 360_000 as never })).toMatchObject({ ok: true, standards: { dispersed: 360_000, centralised: 400_000 } });
    expect(resolveStandards(P['extreme-poverty-support'], { dispersed: 299_999 as never })).toMatchObject({ ok: false, error: { code: 'BENEFIT_STANDARD_OUT_OF_BOUNDS' } });
  });
  it('may pay below a cap, never above', () => {
    expect(resolveStandards(P['housing-renovation'], { D: 1_500_000 as never })).toMatchObject({ ok: true, standards: { D: 1_500_000 } });
    expect(resolveStandards(P['housing-renovation'], { D: 2_000_001 as never })).toMatchObject({ ok: false, error: { code: 'BENEFIT_STANDARD_OUT_OF_BOUNDS' } });
  });
});

describe('Eligibility and amount per programme', () => {
  it('boarding pupils: primary and junior at their tiers; day pupils and senior students not', () => {
    const h = household(1, {
      members: [
        member(10),
        member(11, { schooling: { level: 'primary', schoolYear: 2018, boarding: true, evidenceRef: 'x1' } }),
        member(12, { schooling: { level: 'junior', schoolYear: 2018, boarding: true, evidenceRef: 'x2' } }),
        member(13, { schooling: { level: 'junior', schoolYear: 2018, boarding: false, evidenceRef: 'x3' } }),
        member(14, { schooling: { level: 'senior', schoolYear: 2018, boarding: true, evidenceRef: 'x4' } }),
      ],
    });
    expect(amountOf(assess('boarding-allowance', h, '2018'))).toBe(225_000);
  });
  it('特困: each supported person at their kind’s standard', () => {
    const h = household(1, { members: [member(10, { extremePoverty: 'dispersed' }), member(11, { extremePoverty: 'centralised' }), member(12)] });
    expect(amountOf(assess('extreme-poverty-support', h, '2019', { dispersed: 320_000 }))).toBe(720_000);
  });
  it('危改: nothing before 验收; after it, the grade’s standard to the household', () => {
    const graded = household(1, { housing: { grade: 'D', assessedOn: '2017-05-01', evidenceRef: 'wf-1' } });
    expect(amountOf(assess('housing-renovation', graded, '2018-once'))).toBe('BENEFIT_BEFORE_ACCEPTANCE');
    const accepted = { ...graded, renovationAccepted: { acceptedOn: '2018-06-30', evidenceRef: 'ys-1' } };
    const r = assess('housing-renovation', accepted, '2018-once', { D: 1_500_000 });
    expect(r.ok && r.line).toMatchObject({ amount: 1_500_000, beneficiaries: [{ memberKey: null, facts: { housingGrade: 'D', acceptanceRef: 'ys-1' } }] });
    expect(amountOf(assess('housing-renovation', household(2, { housing: { grade: 'B', assessedOn: '2017-05-01', evidenceRef: 'wf-2' } }), '2018-once'))).toBe(
      'BENEFIT_NOT_ELIGIBLE',
    );
  });
  it('relocation: each person in the plan, up to the household’s members', () => {
    const h = household(1, { relocation: { planRef: 'bq-2018-01', persons: 2, movedOn: null } });
    expect(amountOf(assess('relocation-subsidy', h, '2018-once', { default: 2_000_000 }))).toBe(4_000_000);
  });
  it('forest rangers and public-welfare jobs need the appointment and labour capacity', () => {
    const ranger = member(10, { welfareJob: { kind: 'forest-ranger', since: '2018-01-01', evidenceRef: 'ht-1' } });
    const unable = member(11, { labourCapacity: 'none', welfareJob: { kind: 'forest-ranger', since: '2018-01-01', evidenceRef: 'ht-2' } });
    expect(amountOf(assess('forest-ranger-wage', household(1, { members: [ranger, unable] }), '2018-07'))).toBe(83_333);
    expect(amountOf(assess('public-welfare-job-wage', household(1, { members: [ranger] }), '2018-07'))).toBe('BENEFIT_NOT_ELIGIBLE');
  });
  it('microcredit: interest at no more than the base rate, on at most 5万, for the months, down to the fen', () => {
    const h = household(1, { loan: { loanRef: 'dk-1', principal: 6_000_000 as never, annualRateBp: 500, months: 12, year: 2018 } });
    expect(amountOf(assess('microcredit-interest', h, '2018'))).toBe(Math.floor((5_000_000 * 475 * 12) / 120_000));
    const half = household(2, { loan: { loanRef: 'dk-2', principal: 3_000_000 as never, annualRateBp: 435, months: 7, year: 2018 } });
    expect(amountOf(assess('microcredit-interest', half, '2018'))).toBe(Math.floor((3_000_000 * 435 * 7) / 120_000));
    expect(amountOf(assess('microcredit-interest', half, '2019'))).toBe('BENEFIT_NOT_ELIGIBLE');
  });
  it('training: members who completed training in the year', () => {
    const h = household(1, {
      members: [
        member(10, { training: { course: '电工', completedOn: '2018-04-20', evidenceRef: 'zs-1' } }),
        member(11, { training: { course: '厨师', completedOn: '2017-04-20', evidenceRef: 'zs-2' } }),
      ],
    });
    expect(amountOf(assess('training-subsidy', h, '2018-once'))).toBe(103_600);
  });
  it('a member removed from the file (death, moved away) is never paid', () => {
    const h = household(1, { members: [member(10), { ...student(11), removed: { reason: 'moved-away', at: '2018-03-01T00:00:00Z' } }, student(12)] });
    expect(amountOf(assess('secondary-vocational-grant', h, '2018'))).toBe(200_000);
  });
});

describe('脱贫不脱政策: after exit', () => {
  const exited = household(1, {
    standing: 'exited',
    exitYear: 2018,
    members: [member(10, { extremePoverty: 'dispersed', welfareJob: { kind: 'public-welfare', since: '2017-01-01', evidenceRef: 'ht' } }), student(11, 2019)],
  });
  it('a household that exited in 2018 keeps its 2019 助学金 and 特困 support', () => {
    expect(amountOf(assess('secondary-vocational-grant', exited, '2019'))).toBe(200_000);
    expect(amountOf(assess('extreme-poverty-support', exited, '2019'))).toBe(300_000);
  });
  it('a programme marked "stops at exit" is refused for it the year after', () => {
    expect(P['public-welfare-job-wage'].afterExit).toBe('stops');
    expect(amountOf(assess('public-welfare-job-wage', exited, '2019-01'))).toBe('BENEFIT_STOPS_AT_EXIT');
    expect(amountOf(assess('public-welfare-job-wage', exited, '2018-11'))).toBe(50_000);
  });
  it('policies tied to the registration end with the plan (2020); 特困 support, tied to the person, goes on', () => {
    const later = { ...exited, members: [member(10, { extremePoverty: 'dispersed' }), student(11, 2021)] } as HouseholdBenefitFacts;
    expect(amountOf(assess('secondary-vocational-grant', later, '2021'))).toBe('BENEFIT_POLICY_PERIOD_ENDED');
    expect(amountOf(assess('extreme-poverty-support', later, '2021'))).toBe(300_000);
  });
  it('a household of another county is not this county’s to pay', () =>
    expect(assessHousehold(P['secondary-vocational-grant'], household(1), '2018', std('secondary-vocational-grant'), 'luanchuan')).toMatchObject({
      ok: false,
      error: { code: 'BENEFIT_OUT_OF_COUNTY' },
    }));
});
