import { fen } from '../domain/shared/money';
import { CHECKLIST_ITEMS } from '../domain/village/checklist';
import { scaledSeconds } from '../domain/policy/time-scale';
import type { CountyId } from '../domain/reference/counties';
import { CSV_COLUMNS, toCsvLine } from '../infra/registry/file-format';
import { importRegistryFile, recordYearlyRecords } from '../services/registry';
import { exitRoundStatus, sendExitRoundStep, startExitRound } from '../services/exit-rounds';
import { registerPoorVillage, sendVillageExitStep, startVillageExit, villageExitStatus } from '../services/village-exits';
import { countyExitStatus, sendCountyExitStep, startCountyExit } from '../services/county-exits';
import { returnReviewStatus, sendReturnReviewStep } from '../services/return-reviews';
import { ProcessUnavailable, UpdateRefused } from '../services/errors';
import { exitRoundWorkflowId, type ExitRoundResult } from '../workflows/exit-round.messages';
import { villageExitWorkflowId, type VillageExitStatus } from '../workflows/village-exit.messages';
import { countyExitWorkflowId, type CountyExitStatus } from '../workflows/county-exit.messages';
import { castOf } from './cast';
import { count, inLane, insideNotice, pool, until, type SimContext } from './context';
import type { CountyPlan, SimYear } from './plan';

/**
 * The exit side of a county's plan, year by year, through the services the API uses: the registry
 * (建档立卡), the year's records, one exit round per village with candidates, village exits once
 * incidence is under 2%, return reviews for households the monitoring flags, and the county's own
 * exit (摘帽) in its target year. The driver keeps what it learnt from each process's answers.
 */
export interface CountyExitState {
  readonly plan: CountyPlan;
  /** Households out of poverty now. */
  readonly exited: Set<string>;
  /** When each household is due to leave (moved on by a refusal, an objection or a return). */
  readonly dueIn: Map<string, number>;
  readonly villagesExited: Set<string>;
  countyExited: boolean;
}

export const exitStateOf = (plan: CountyPlan): CountyExitState => ({
  plan,
  exited: new Set(),
  dueIn: new Map(plan.exitYear),
  villagesExited: new Set(),
  countyExited: false,
});

const ABOVE = 680_000; // 6,800元 a head: above every year's exit threshold
const BELOW = 210_000;
const ALL_MET = { food: true, clothing: true, compulsoryEducation: true, medicalInsurance: true, safeHousing: true };
const CHECKLIST = CHECKLIST_ITEMS.map((i) => ({ item: i.id, result: i.kind === 'considered' ? ('considered' as const) : ('met' as const), evidenceRef: `台账-${i.id}` }));
/** Return reviews driven at once in a county (a handful a year). */
const REVIEWS_AT_ONCE = 12;

/** 建档立卡: the county registers its poor villages, then imports one file per village (all rows or none). */
export const registerCounty = async (x: SimContext, s: CountyExitState): Promise<{ households: number; people: number }> => {
  const { plan } = s;
  const cast = castOf(plan.countyId);
  for (const v of plan.registry.villages) {
    await registerPoorVillage(x.db, {
      type: 'RegisterPoorVillage',
      data: { villageId: v.villageId, countyId: plan.countyId, registeredYear: 2015 },
      meta: { actor: cast.county, now: new Date().toISOString() },
    });
  }
  const byVillage = new Map<string, (typeof plan.registry.households)[number][]>();
  for (const h of plan.registry.households) byVillage.set(h.villageId, [...(byVillage.get(h.villageId) ?? []), h]);
  let households = 0;
  let people = 0;
  await pool([...byVillage], 4, async ([villageId, rows]) => {
    const text = [CSV_COLUMNS.join(','), ...rows.map((r) => toCsvLine(r))].join('\n');
    const r = await importRegistryFile(x.db, { name: `${villageId}.csv`, text, actor: cast.county, salt: x.cfg.MEMBER_KEY_SALT });
    households += r.households;
    people += r.members;
  });
  return { households, people };
};

export interface YearExits {
  households: number;
  people: number;
  refusedConsent: number;
  objected: number;
  returned: number;
  villages: number;
  countyExit?: CountyExitStatus['phase'] | undefined;
}

/** The year's records: households due this year or earlier above the line, the rest below; one planned return falls back. */
const recordYear = async (x: SimContext, s: CountyExitState, year: SimYear, y: YearExits) => {
  const cast = castOf(s.plan.countyId);
  const records = s.plan.registry.households.map((h) => {
    const falls = s.plan.returnsIn.get(h.householdId) === year && s.exited.has(h.householdId);
    const above = !falls && (s.exited.has(h.householdId) || (s.dueIn.get(h.householdId) ?? 9999) <= year);
    return { householdId: h.householdId, year, perCapitaIncome: fen(above ? ABOVE : BELOW), stableIncomeSource: above, guarantees: ALL_MET };
  });
  const noticeSeconds = scaledSeconds(x.time, 7);
  const reviews: { householdId: string }[] = [];
  for (let i = 0; i < records.length; i += 2_000) {
    const r = await recordYearlyRecords(x.db, async () => x.client, {
      records: records.slice(i, i + 2_000),
      actor: cast.workTeam,
      exitTaskQueue: x.cfg.TEMPORAL_EXIT_TASK_QUEUE,
      noticeSeconds,
    });
    reviews.push(...r.reviews);
  }
  // 返贫: the work team visits, the township posts the notice, the county decides.
  await pool(reviews, REVIEWS_AT_ONCE, async ({ householdId }) => {
    const rid = (k: string) => `sim-${x.plan.runTag}-review-${householdId}-${year}-${k}`;
    x.tally.updates += 3;
    await sendReturnReviewStep(x.client, householdId, year, { type: 'visit', actor: cast.workTeam, findings: '家庭成员患病，收入下降' }, rid('visit'));
    await sendReturnReviewStep(x.client, householdId, year, { type: 'postNotice', actor: cast.township }, rid('notice'));
    await until(
      () => returnReviewStatus(x.client, householdId, year),
      (r) => r.phase === 'awaiting-decision',
      `return review ${householdId}`,
    );
    await sendReturnReviewStep(x.client, householdId, year, { type: 'decide', actor: cast.county, returnsToPoverty: true, reason: '人均纯收入低于当年脱贫标准' }, rid('decide'));
    s.exited.delete(householdId);
    s.dueIn.set(householdId, year + 1);
    y.returned += 1;
    count(x.tally.troubles, 'return-to-poverty');
  });
};

/** One village's round: assessment, appraisal, the work team's check, consent, notice, township review, announcement. */
const villageRound = async (x: SimContext, s: CountyExitState, year: SimYear, villageId: string, candidates: string[], objectOne: boolean, y: YearExits) => {
  const cast = castOf(s.plan.countyId);
  const rid = (k: string) => `sim-${x.plan.runTag}-round-${villageId}-${year}-${k}`;
  const step = (req: Parameters<typeof sendExitRoundStep>[3], k: string) => {
    x.tally.updates += 1;
    return sendExitRoundStep(x.client, villageId, year, req, rid(k));
  };
  x.tally.updates += 1;
  await startExitRound(
    x.client,
    x.cfg.TEMPORAL_EXIT_TASK_QUEUE,
    { villageId, year, assessor: cast.workTeam, noticeSeconds: scaledSeconds(x.time, 7), householdIds: candidates },
    rid('start'),
  );
  const st = await until(
    () => exitRoundStatus(x.client, villageId, year),
    (r) => r.phase !== 'assessing',
    `exit round ${villageId}`,
  );
  const assessed = st.households.filter((h) => h.status === 'assessed').map((h) => h.householdId);
  // Resumed: a round past its village steps was driven by the last run; its result is read below.
  if (assessed.length > 0 && st.phase === 'village-steps') {
    const refusing = assessed.filter((h) => s.plan.refusesConsentIn.get(h) === year);
    const consenting = assessed.filter((h) => !refusing.includes(h));
    await step({ type: 'appraise', actor: cast.villageCommittee, recordRef: `${villageId}-${year}-民主评议`, agreed: assessed }, 'appraise');
    await step({ type: 'check', actor: cast.workTeam, confirmed: assessed, findings: '入户核实收入和两不愁三保障' }, 'check');
    if (consenting.length > 0)
      await step({ type: 'consent', actor: cast.township, householdIds: consenting, consents: true, recordRef: `${villageId}-${year}-签字确认` }, 'consent');
    if (refusing.length > 0) {
      // No exit without the household's own signature (被脱贫 is forbidden): it stays poor this year.
      await step({ type: 'consent', actor: cast.township, householdIds: refusing, consents: false, recordRef: `${villageId}-${year}-不同意退出` }, 'refuse');
      y.refusedConsent += refusing.length;
      count(x.tally.troubles, 'consent-refused', refusing.length);
      for (const h of refusing) s.dueIn.set(h, year + 1);
    }
    if (consenting.length > 0) {
      await step({ type: 'postNotice', actor: cast.township }, 'notice');
      const candidate = objectOne && consenting.length > 1 ? consenting[0]! : undefined;
      const objected =
        candidate &&
        (await insideNotice(x, () =>
          step(
            { type: 'object', actor: cast.workTeam, householdId: candidate, objectionId: `obj-${year}-${villageId.split('-').pop()}`, summary: '群众反映该户仍有家庭成员大病未愈' },
            'object',
          ),
        ))
          ? candidate
          : undefined;
      if (objected) {
        y.objected += 1;
        count(x.tally.troubles, 'exit-objection');
        s.dueIn.set(objected, year + 1);
      }
      const review = await until(
        () => exitRoundStatus(x.client, villageId, year),
        (r) => r.phase === 'township-review',
        `notice of ${villageId}`,
      );
      // An upheld objection takes the household out of the round at once; the township reviews only who is still in notice.
      const inNotice = new Set(review.households.filter((h) => h.status === 'in-notice').map((h) => h.householdId));
      const approved = consenting.filter((h) => h !== objected && inNotice.has(h));
      const rejected = objected && inNotice.has(objected) ? [objected] : [];
      await step({ type: 'townshipReview', actor: cast.township, approved, rejected, note: objected ? '异议户暂缓退出，核实后再议' : '审核通过' }, 'township');
      await step({ type: 'announce', actor: cast.county }, 'announce');
    }
  }
  const result = (await x.client.workflow.getHandle(exitRoundWorkflowId(villageId, year)).result()) as ExitRoundResult;
  const people = new Map(s.plan.registry.households.map((h) => [h.householdId, h.members.length]));
  for (const h of result.exited) {
    s.exited.add(h);
    y.households += 1;
    y.people += people.get(h) ?? 0;
  }
};

const remainingPoor = (s: CountyExitState, villageId: string): number =>
  s.plan.registry.households.filter((h) => h.villageId === villageId && !s.exited.has(h.householdId)).reduce((n, h) => n + h.members.length, 0);

/** A village under 2% applies: the township checks, the county reviews, the notice runs, the county announces. */
const villageExit = async (x: SimContext, s: CountyExitState, year: SimYear, v: CountyPlan['registry']['villages'][number]): Promise<VillageExitStatus['phase']> => {
  const cast = castOf(s.plan.countyId);
  const rid = (k: string) => `sim-${x.plan.runTag}-village-${v.villageId}-${year}-${k}`;
  x.tally.updates += 1;
  // The start is answered once the village's first steps are recorded; a worker too busy to answer its status within a minute
  // is asked again (the same workflow id and request id: the process is started once).
  for (let i = 0; ; i++) {
    try {
      await startVillageExit(
        x.client,
        x.db,
        x.cfg.TEMPORAL_EXIT_TASK_QUEUE,
        { villageId: v.villageId, year, ruralPopulation: v.ruralPopulation, checklist: CHECKLIST, township: cast.township, noticeSeconds: scaledSeconds(x.time, 7) },
        rid('start'),
      );
      break;
    } catch (e) {
      if (!(e instanceof ProcessUnavailable) || i >= 5) throw e;
      count(x.tally.refusals, 'PROCESS_UNAVAILABLE');
    }
  }
  const read = () => villageExitStatus(x.client, v.villageId, year);
  let st: VillageExitStatus = await until(read, (r) => r.phase !== 'recording', `village exit ${v.villageId}`);
  if (st.phase === 'awaiting-review') {
    x.tally.updates += 1;
    await sendVillageExitStep(x.client, v.villageId, year, { type: 'review', actor: cast.county, approved: true, note: '贫困发生率低于2%，各项指标达标' }, rid('review'));
    st = await until(read, (r) => r.phase !== 'in-notice' && r.phase !== 'awaiting-review', `village notice ${v.villageId}`);
  }
  if (st.phase === 'awaiting-announcement') {
    x.tally.updates += 1;
    await sendVillageExitStep(x.client, v.villageId, year, { type: 'announce', actor: cast.county }, rid('announce'));
    st = (await x.client.workflow.getHandle(villageExitWorkflowId(v.villageId, year)).result()) as VillageExitStatus;
  }
  if (st.phase === 'exited') s.villagesExited.add(v.villageId);
  return st.phase;
};

/** 摘帽: the county applies, the city pre-checks, the provincial office checks with its third party's sample and posts the notice, the provincial government announces. */
const countyExit = async (x: SimContext, s: CountyExitState, year: SimYear): Promise<CountyExitStatus['phase']> => {
  const { plan } = s;
  const cast = castOf(plan.countyId);
  const rid = (k: string) => `sim-${x.plan.runTag}-county-${plan.countyId}-${year}-${k}`;
  const countyId: CountyId = plan.countyId;
  x.tally.updates += 1;
  await startCountyExit(
    x.client,
    x.cfg.TEMPORAL_EXIT_TASK_QUEUE,
    {
      countyId,
      year,
      ruralPopulation: plan.registry.ruralPopulation,
      nonRegisteredHouseholds: Math.max(10, Math.round((plan.registry.ruralPopulation - plan.registry.households.length * 3) / 3)),
      county: cast.county,
      noticeSeconds: scaledSeconds(x.time, 7),
    },
    rid('start'),
  );
  const read = () => countyExitStatus(x.client, countyId, year);
  let st: CountyExitStatus = await until(read, (r) => r.phase !== 'applying', `county exit ${countyId}`);
  const step = async (req: Parameters<typeof sendCountyExitStep>[3], k: string) => {
    x.tally.updates += 1;
    return sendCountyExitStep(x.client, countyId, year, req, rid(k));
  };
  if (st.phase === 'awaiting-city') st = await step({ type: 'cityPreCheck', actor: cast.city, passed: true, findings: '档案齐全，数据一致' }, 'city');
  if (st.phase === 'awaiting-province') {
    st = await step(
      {
        type: 'provincialCheck',
        actor: cast.province,
        // The seed is the store digest fixed at application, the sizes the policy's minimum (domain/policy/county-check.ts).
        evaluator: '第三方评估机构',
        foundPoor: [],
        approval: { approving: 96, asked: 100 },
        incomeGrowthBp: { county: 920, province: 860 },
        servicesAtOrNearProvince: true,
      },
      'province',
    );
  }
  st = await until(read, (r) => r.phase !== 'in-notice', `county notice ${countyId}`);
  if (st.phase === 'awaiting-announcement') {
    await step({ type: 'announce', actor: cast.provinceGovernment }, 'announce');
    st = (await x.client.workflow.getHandle(countyExitWorkflowId(countyId, year)).result()) as CountyExitStatus;
  }
  if (st.phase === 'exited') s.countyExited = true;
  return st.phase;
};

export const runExitYear = async (x: SimContext, s: CountyExitState, year: SimYear): Promise<YearExits> => {
  const y: YearExits = { households: 0, people: 0, refusedConsent: 0, objected: 0, returned: 0, villages: 0 };
  await recordYear(x, s, year, y);
  const candidatesBy = new Map<string, string[]>();
  for (const h of s.plan.registry.households) {
    if (s.exited.has(h.householdId) || (s.dueIn.get(h.householdId) ?? 9999) > year) continue;
    candidatesBy.set(h.villageId, [...(candidatesBy.get(h.villageId) ?? []), h.householdId]);
  }
  // A village under 2% applies for its exit as soon as its round is announced; villages run side by side.
  const ready = (v: string) => {
    const village = s.plan.registry.villages.find((x) => x.villageId === v)!;
    return !s.villagesExited.has(v) && remainingPoor(s, v) * 50 < village.ruralPopulation;
  };
  const villages = s.plan.registry.villages.map((v) => v.villageId).filter((v) => candidatesBy.has(v) || ready(v));
  // One village's notice a year meets an objection (the first with two or more households leaving).
  const objectIn = villages.find((v) => (candidatesBy.get(v)?.length ?? 0) >= 2);
  let done = 0;
  // The city's villages share one lane: a county with many villages is not held to a limit of its own while others have few.
  await inLane(x.lanes.villages, villages, async (v) => {
    const candidates = candidatesBy.get(v);
    if (candidates) await villageRound(x, s, year, v, candidates, v === objectIn, y);
    if (ready(v)) {
      const phase = await villageExit(
        x,
        s,
        year,
        s.plan.registry.villages.find((z) => z.villageId === v)!,
      );
      if (phase === 'exited') y.villages += 1;
    }
    done += 1;
    x.display.status(`  ${year} 退出评议与贫困村退出 ${done}/${villages.length} 个村`);
  });
  const due = !s.countyExited && year >= Math.min(s.plan.targetExitYear, 2020) && s.villagesExited.size * 10 >= s.plan.registry.villages.length * 9;
  if (due) {
    try {
      y.countyExit = await countyExit(x, s, year);
    } catch (e) {
      if (!(e instanceof UpdateRefused)) throw e;
      count(x.tally.refusals, e.failureCode);
      y.countyExit = 'blocked';
    }
  }
  return y;
};
