import { createHash } from 'node:crypto';
import type { CountyId } from '../domain/reference/counties';
import { scaledSeconds } from '../domain/policy/time-scale';
import { fen, type Fen } from '../domain/shared/money';
import { memberKey } from '../infra/personal-data/keys';
import { appropriateFund } from '../services/appropriate-fund';
import { benefitRoundStatus, recordBenefitFact, sendBenefitRoundStep, setHouseholdAccount, startBenefitRound } from '../services/benefits';
import type { BenefitRoundStepRequest } from '../workflows/benefit-round.messages';
import { castOf } from './cast';
import { count, inLane, insideNotice, pool, until, type SimContext } from './context';
import type { CountyPlan, FundPlan, SimYear } from './plan';

/**
 * Money to households (到户) in the simulation: each county's 中职国家助学金 (2,000元 per student a
 * year) and 特困供养 (分散供养, the plan's floor of 3,000元 a person a year) paid by rounds per
 * township, through the same services the API uses: the work team records the facts, the township
 * sets each household's 一卡通 account, the county drafts, the township posts the notice and reviews,
 * another county official approves, county finance disburses through the rail.
 *
 * Who is a student or 特困 is the seed's choice over the synthetic registry (age from the ID number),
 * so the same seed pays the same people. One objection removes a household in the first round with
 * more than one, and one household's account is closed (the rail returns its transfer to the fund).
 */
const SCHOOL_AGES = [15, 16, 17] as const;
const STUDENT_SHARE = 0.35;
const EXTREME_POVERTY_AGE = 65;
const VILLAGES_PER_TOWNSHIP = 8;
const GRANT: Fen = fen(200_000);
const SUPPORT_FLOOR: Fen = fen(300_000);
/** The year the bank closes the account; the next year the township sets the household's new one. */
const CLOSED_IN = 2018;
export const BENEFIT_YEARS = [2017, 2018, 2019, 2020] as const satisfies readonly SimYear[];

type Programme = 'secondary-vocational-grant' | 'extreme-poverty-support';

interface Beneficiary {
  readonly householdId: string;
  readonly villageId: string;
  readonly idNumber: string;
}

export interface CountyBenefits {
  readonly countyId: CountyId;
  readonly townships: readonly { readonly townshipId: string; readonly villageIds: readonly string[] }[];
  /** Students by school year: aged 15–17 that year, a seeded share of them in 中职. */
  readonly students: ReadonlyMap<number, readonly Beneficiary[]>;
  /** People of 65 and over living alone: 分散供养 from 2017. */
  readonly extremePoor: readonly Beneficiary[];
  /** The household whose bank closes its account: its transfers come back. */
  readonly closedAccount?: string;
}

const draw = (seed: string, key: string): number => createHash('sha256').update(`${seed}:${key}`).digest().readUInt32BE(0) / 2 ** 32;
const birthYear = (idNumber: string): number => Number(idNumber.slice(6, 10));

/** Pure: who the county's programmes pay, from the plan's registry and the seed. */
export const planBenefits = (seed: string, c: CountyPlan): CountyBenefits => {
  const villages = c.registry.villages.map((v) => v.villageId);
  const townships = Array.from({ length: Math.ceil(villages.length / VILLAGES_PER_TOWNSHIP) }, (_, i) => ({
    townshipId: `twp-${c.countyId}-${String(i + 1).padStart(2, '0')}`,
    villageIds: villages.slice(i * VILLAGES_PER_TOWNSHIP, (i + 1) * VILLAGES_PER_TOWNSHIP),
  }));
  const students = new Map<number, Beneficiary[]>();
  const extremePoor: Beneficiary[] = [];
  for (const h of c.registry.households) {
    for (const m of h.members) {
      const who = { householdId: h.householdId, villageId: h.villageId, idNumber: m.idNumber };
      const born = birthYear(m.idNumber);
      if (draw(seed, `zz:${m.idNumber}`) < STUDENT_SHARE) {
        for (const y of BENEFIT_YEARS) if ((SCHOOL_AGES as readonly number[]).includes(y - born)) students.set(y, [...(students.get(y) ?? []), who]);
      }
      if (h.members.length === 1 && 2017 - born >= EXTREME_POVERTY_AGE) extremePoor.push(who);
    }
  }
  const paid = [...new Set([...[...students.values()].flat(), ...extremePoor].map((b) => b.householdId))].sort();
  const closedAccount = paid.length > 2 ? paid[Math.floor(draw(seed, `closed:${c.countyId}`) * paid.length)] : undefined;
  return { countyId: c.countyId, townships, students, extremePoor, ...(closedAccount ? { closedAccount } : {}) };
};

/** The rail's switch that closes each county's chosen account (joined with the projects' switches). */
export const closedAccountSwitches = (all: readonly CountyBenefits[]): string[] =>
  all.flatMap((b) => (b.closedAccount ? [`fail=ACCOUNT_CLOSED@^br-${b.countyId}-${CLOSED_IN}-.*:${b.closedAccount}$`] : []));

const accountNumberOf = (householdId: string, card = 0): string =>
  `6217${String(createHash('sha256').update(`${householdId}:${card}`).digest().readUIntBE(0, 6))
    .padStart(15, '0')
    .slice(0, 15)}`;

export interface YearBenefits {
  rounds: number;
  households: number;
  paid: number;
  returned: number;
  objected: number;
  fund?: FundPlan;
}

/** Once, before the first round: every household that will be paid gets its 一卡通 account, set by the township. */
export const openAccounts = async (x: SimContext, b: CountyBenefits): Promise<number> => {
  const cast = castOf(b.countyId);
  const households = [...new Set([...[...b.students.values()].flat(), ...b.extremePoor].map((h) => h.householdId))];
  await pool(households, 4, async (householdId) => {
    await setHouseholdAccount(
      x.db,
      x.cfg.MEMBER_KEY_SALT,
      { householdId, accountNumber: accountNumberOf(householdId), bank: '农商银行', reason: '惠农一卡通开户', actor: cast.township, now: new Date().toISOString() },
      `sim-${x.plan.runTag}-account-${householdId}`,
    );
  });
  return households.length;
};

/**
 * The year's rounds in one county: the work team's facts (this year's 中职 enrolment; 特困 status once),
 * a fund appropriated for the year's lists, then one round per programme and township that has anyone
 * on its list, each from draft to closed.
 */
export const runBenefitYear = async (x: SimContext, b: CountyBenefits, year: SimYear): Promise<YearBenefits> => {
  const y: YearBenefits = { rounds: 0, households: 0, paid: 0, returned: 0, objected: 0 };
  if (!(BENEFIT_YEARS as readonly number[]).includes(year)) return y;
  const cast = castOf(b.countyId);
  const now = () => new Date().toISOString();
  const students = b.students.get(year) ?? [];
  const supported = b.extremePoor;
  if (b.closedAccount && year === CLOSED_IN + 1) {
    // The transfer came back last year: the township records the household's new card (an account change an inspector sees before the next payment).
    await setHouseholdAccount(
      x.db,
      x.cfg.MEMBER_KEY_SALT,
      {
        householdId: b.closedAccount,
        accountNumber: accountNumberOf(b.closedAccount, 1),
        bank: '农商银行',
        reason: '原一卡通账户已销户，换发新卡',
        actor: cast.township,
        now: now(),
      },
      `sim-${x.plan.runTag}-account-${b.closedAccount}-${year}`,
    );
    count(x.tally.troubles, 'account-changed');
  }
  const facts = [
    ...students.map((s) => ({
      who: s,
      schooling: { level: 'secondary-vocational' as const, schoolYear: year, boarding: false, evidenceRef: `学籍-${year}-${s.idNumber.slice(14)}` },
      ep: null,
    })),
    ...(year === BENEFIT_YEARS[0] ? supported.map((s) => ({ who: s, schooling: null, ep: 'dispersed' as const })) : []),
  ];
  await pool(facts, 4, async (f) => {
    await recordBenefitFact(
      x.db,
      x.cfg.MEMBER_KEY_SALT,
      {
        type: 'RecordMemberAttributes',
        data: {
          householdId: f.who.householdId,
          memberKey: memberKey(f.who.idNumber, x.cfg.MEMBER_KEY_SALT),
          labourCapacity: f.ep ? 'none' : 'partial',
          disabilityGrade: null,
          schooling: f.schooling,
          dibao: false,
          extremePoverty: f.ep,
          welfareJob: null,
          training: null,
        },
        meta: { actor: cast.workTeam, now: now() },
      },
      `sim-${x.plan.runTag}-facts-${year}-${f.who.idNumber.slice(0, 6)}-${createHash('sha256').update(f.who.idNumber).digest('hex').slice(0, 12)}`,
    );
  });

  const expected = students.length * GRANT + supported.length * SUPPORT_FLOOR;
  if (expected === 0) return y;
  // 下达: one central fund per county and year for both programmes, the expected lists rounded up to the 万元.
  const amount = fen(Math.ceil(expected / 1_000_000) * 1_000_000);
  const fund: FundPlan = {
    fundId: `fund-${b.countyId}-${year}-dh${x.plan.runTag}`,
    countyId: b.countyId,
    year,
    source: 'central',
    amount,
    earmark: ['education', 'social-security'],
    documentNumber: `豫财社〔${year}〕${20 + BENEFIT_YEARS.indexOf(year as (typeof BENEFIT_YEARS)[number])}号`,
    headroom: fen(0),
  };
  const r = await appropriateFund(x.db, {
    type: 'AppropriateFund',
    data: { fundId: fund.fundId, source: fund.source, fiscalYear: year, countyId: b.countyId, documentNumber: fund.documentNumber, amount, earmark: [...fund.earmark] },
    meta: { actor: cast.finance, now: now() },
  });
  if (!r.ok) throw new Error(`appropriation of ${fund.fundId} refused: ${r.error.code} ${r.error.zh}`);

  const rounds: { programme: Programme; townshipId: string; villageIds: readonly string[] }[] = [];
  for (const t of b.townships) {
    const has = (list: readonly Beneficiary[]) => list.some((s) => t.villageIds.includes(s.villageId));
    if (has(students)) rounds.push({ programme: 'secondary-vocational-grant', townshipId: t.townshipId, villageIds: t.villageIds });
    if (has(supported)) rounds.push({ programme: 'extreme-poverty-support', townshipId: t.townshipId, villageIds: t.villageIds });
  }
  let objectionLeft = year === 2018;
  // Rounds share the city's lane, in the order listed here (the objection goes to the first that can take it).
  await inLane(x.lanes.rounds, rounds, async (round) => {
    const rid = (k: string) => `sim-${x.plan.runTag}-benefit-${round.programme}-${round.townshipId}-${year}-${k}`;
    const step = (req: BenefitRoundStepRequest, k: string) => {
      x.tally.updates += 1;
      return sendBenefitRoundStep(x.client, roundId, req, rid(k));
    };
    x.tally.updates += 1;
    const started = await startBenefitRound(
      x.client,
      // Rounds run on the projects' queue, where the worker has the rounds' activities (as POST /benefit-rounds starts them).
      x.cfg.TEMPORAL_TASK_QUEUE,
      {
        programmeId: round.programme,
        townshipId: round.townshipId,
        villageIds: round.villageIds,
        period: String(year),
        drafter: cast.proposer,
        noticeSeconds: scaledSeconds(x.time, 7),
        minNoticeSeconds: scaledSeconds(x.time, 7),
      },
      rid('start'),
    );
    const roundId = started.roundId;
    await step({ type: 'postNotice', actor: cast.township }, 'notice');
    const listed = [
      ...new Set((round.programme === 'secondary-vocational-grant' ? students : supported).filter((s) => round.villageIds.includes(s.villageId)).map((s) => s.householdId)),
    ].sort();
    if (objectionLeft && round.programme === 'secondary-vocational-grant' && listed.length > 1) {
      objectionLeft = false;
      // During 公示 the village says one student has moved to a school in another county: the township removes the household from this list.
      const objected = await insideNotice(x, () =>
        step(
          {
            type: 'objection',
            actor: cast.township,
            objectionId: `obj-${year}-1`,
            householdId: listed[listed.length - 1]!,
            outcome: 'remove',
            reason: '群众反映该户子女已转学外县，经核实属实，从名单中移除',
          },
          'objection',
        ),
      );
      if (objected) {
        y.objected += 1;
        count(x.tally.troubles, 'benefit-objection');
      }
    }
    await until(
      () => benefitRoundStatus(x.client, roundId),
      (s) => s.phase === 'township-review',
      `benefit round ${roundId}`,
    );
    await step({ type: 'review', actor: cast.township, approved: true, note: '经乡镇审核，名单属实' }, 'review');
    await step({ type: 'approve', actor: cast.approver, approved: true, note: '同意发放' }, 'approve');
    await step({ type: 'disburse', actor: cast.finance, fundId: fund.fundId }, 'disburse');
    const closed = await until(
      () => benefitRoundStatus(x.client, roundId),
      (s) => s.phase === 'closed',
      `benefit round ${roundId}`,
    );
    y.rounds += 1;
    y.households += closed.summary?.lineCount ?? 0;
    y.paid += closed.summary?.paid ?? 0;
    y.returned += closed.summary?.returned ?? 0;
    if ((closed.summary?.returned ?? 0) > 0) count(x.tally.troubles, 'benefit-transfer-returned');
    x.display.status(`  ${year} 到户补助 ${y.rounds}/${rounds.length} 批`);
  });
  // What the lists did not need (and what came back from closed accounts) is returned at year end.
  return { ...y, fund: { ...fund, headroom: fen(amount - y.paid) } };
};
