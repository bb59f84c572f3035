import { accept, refuse, type Decision } from '../shared/result';
import { domainError, type DomainError } from '../shared/errors';
import type { CommandMeta } from '../shared/actor';
import { countyById } from '../reference/counties';
import { exitThresholdsRef, NOTICE_DAYS } from '../policy/exit-thresholds';
import { authorize, type Action } from '../access';
import { firstFailure } from '../village/exit-tests';
import { evaluateCountyApplication, evaluateProvincialCheck, isPoorCounty } from './exit-tests';
import { countySampleSeed } from './sample';
import { COUNTY_CHECK, countyCheckRef } from '../policy/county-check';
import type * as C from './commands';
import type { CountyEvent, CountyEventData } from './events';
import { COUNTY_ROUND, type CountyRoundStatus, type CountyState } from './state';

type D = Decision<CountyEvent>;
export interface CountyRules {
  readonly noticeMinSeconds: number;
}
export const DEFAULT_COUNTY_RULES: CountyRules = { noticeMinSeconds: NOTICE_DAYS.countyExit.value * 86_400 };

const ev = <T extends CountyEvent['type']>(type: T, data: CountyEventData<T>): CountyEvent => ({ type, data }) as CountyEvent;
const stamp = (c: { data: { countyId: C.CountyCommand['data']['countyId'] }; meta: CommandMeta }) => ({ countyId: c.data.countyId, by: c.meta.actor.userId, at: c.meta.now });
const isInstant = (s: string): boolean => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s));
const e = domainError;
const okCount = (...ns: number[]) => ns.every((n) => Number.isSafeInteger(n) && n >= 0);

const gate = (c: C.CountyCommand, s: CountyState, action: Action): DomainError | undefined => {
  if (s.countyId !== null && s.countyId !== c.data.countyId) return e('COUNTY_ID_MISMATCH', '所办事项与档案中的县不一致', 'the command is for another county');
  return authorize(c.meta.actor, action, { countyId: c.data.countyId });
};

const MISSING: Record<'not-applied' | CountyRoundStatus, DomainError> = {
  'not-applied': e('COUNTY_NOT_APPLIED', '尚未提出退出申请', 'the county has not applied to exit'),
  applied: e('COUNTY_CITY_PRECHECK_MISSING', '市级尚未初审', 'the city has not pre-checked the application'),
  'city-checked': e('COUNTY_PROVINCIAL_CHECK_MISSING', '省级尚未核查', 'the provincial check has not been recorded'),
  'provincially-checked': e('COUNTY_NOTICE_MISSING', '尚未公示', 'the exit notice has not been posted'),
  'in-notice': e('COUNTY_NOTICE_RUNNING', '公示期未满', 'the notice is still running'),
};

/** undefined when the county is at `required`; otherwise why not, naming the failed test when blocked. */
const order = (s: CountyState, required: CountyRoundStatus): DomainError | undefined => {
  if (s.status === 'exited') return e('COUNTY_ALREADY_EXITED', '该县已退出', 'the county has already exited');
  if (s.status === 'blocked') return firstFailure(s.blockedBy.map((b) => e(b.code, b.zh, b.en)));
  if (s.status === required) return undefined;
  if (s.status !== 'not-applied' && COUNTY_ROUND.indexOf(s.status) > COUNTY_ROUND.indexOf(required))
    return e('COUNTY_STEP_ALREADY_TAKEN', '此步骤已完成', 'this step has already been taken');
  return MISSING[s.status];
};

const apply = (c: C.ApplyForCountyExit, s: CountyState): D => {
  const denied = gate(c, s, 'county-exit.apply');
  if (denied) return refuse(denied);
  if (s.status === 'exited') return refuse(e('COUNTY_ALREADY_EXITED', '该县已退出', 'the county has already exited'));
  if (s.status !== 'not-applied' && s.status !== 'blocked') return refuse(e('COUNTY_EXIT_IN_PROGRESS', '该县已在退出程序中', 'the county is already in an exit round'));
  const county = countyById(c.data.countyId);
  const d = c.data;
  if (
    !okCount(d.poorRemaining, d.ruralPopulation, d.poorVillagesExited) ||
    d.ruralPopulation === 0 ||
    d.poorRemaining > d.ruralPopulation ||
    d.poorVillagesExited > county.poorVillages
  ) {
    return refuse(e('COUNTY_COUNT_INVALID', '人数或村数无效', 'the counts are not valid', { poorVillagesTotal: county.poorVillages }));
  }
  if (d.year < 2016 || d.year > 2020) return refuse(e('COUNTY_YEAR_OUT_OF_PLAN', '年份须在2016—2020年之间', 'the year must be 2016-2020'));
  const figures = { ...d, poorVillagesTotal: county.poorVillages, baselinePoor: county.poorPeople };
  const failures = evaluateCountyApplication(county.kind, figures);
  if (failures.length > 0) return refuse(firstFailure(failures));
  return accept(
    ev('CountyExitApplied', {
      ...stamp(c),
      year: d.year,
      poorCounty: isPoorCounty(county.kind),
      poorRemaining: d.poorRemaining,
      ruralPopulation: d.ruralPopulation,
      poorVillagesExited: d.poorVillagesExited,
      poorVillagesTotal: county.poorVillages,
      baselinePoor: county.poorPeople,
      policy: exitThresholdsRef,
      sampleBasis: d.sampleBasis ?? null,
    }),
  );
};

const cityPreCheck = (c: C.RecordCityPreCheck, s: CountyState): D => {
  const denied = gate(c, s, 'county-exit.city-pre-check');
  if (denied) return refuse(denied);
  const out = order(s, 'applied');
  if (out) return refuse(out);
  return accept(ev('CountyCityPreChecked', { ...stamp(c), passed: c.data.passed, findings: c.data.findings }));
};

/** Recording findings is always accepted; failing ones block the exit with their reasons. */
const provincialCheck = (c: C.RecordProvincialCheck, s: CountyState): D => {
  const denied = gate(c, s, 'county-exit.provincial-check');
  if (denied) return refuse(denied);
  const out = order(s, 'city-checked');
  if (out) return refuse(out);
  const d = c.data;
  const counts = [d.wronglyExited.found, d.wronglyExited.checked, d.missedPoor.found, d.missedPoor.checked, d.approval.approving, d.approval.asked, d.sample.households];
  if (
    !okCount(...counts) ||
    d.wronglyExited.checked === 0 ||
    d.missedPoor.checked === 0 ||
    d.approval.asked === 0 ||
    d.wronglyExited.found > d.wronglyExited.checked ||
    d.missedPoor.found > d.missedPoor.checked ||
    d.approval.approving > d.approval.asked ||
    !Number.isSafeInteger(d.incomeGrowthBp.county) ||
    !Number.isSafeInteger(d.incomeGrowthBp.province)
  ) {
    return refuse(e('COUNTY_FINDINGS_INVALID', '核查数据无效（样本数须大于0，发现数不超过样本数）', 'the findings are not valid (samples above 0, findings within samples)'));
  }
  if (s.status !== 'city-checked') return refuse(MISSING['not-applied']);
  const app = s.application;
  if (app.sampleBasis !== null) {
    const seed = countySampleSeed(d.countyId, app.year, app.sampleBasis);
    if (d.sample.seed !== seed)
      return refuse(
        e(
          'COUNTY_SAMPLE_SEED_NOT_FIXED',
          '抽样种子须取自申请时的存储摘要，核查人不能自选',
          'the sample seed must derive from the store digest fixed at application; the checker may not choose it',
          {
            expected: seed,
          },
        ),
      );
    if (!d.frames)
      return refuse(
        e('COUNTY_SAMPLE_FRAMES_MISSING', '缺少抽样总体（已脱贫户、未建档户及其人口）', 'the sample frames (exited and non-registered households and people) are missing'),
      );
  }
  if (d.frames) {
    const f = d.frames;
    const min = COUNTY_CHECK.minimumSample.value;
    if (
      !okCount(f.poorRemaining, f.exitedHouseholds, f.exitedPeople, f.nonRegisteredHouseholds, f.nonRegisteredPeople) ||
      f.poorRemaining + f.exitedPeople + f.nonRegisteredPeople > app.ruralPopulation ||
      d.wronglyExited.checked > f.exitedHouseholds ||
      d.missedPoor.checked > f.nonRegisteredHouseholds
    )
      return refuse(
        e(
          'COUNTY_FRAMES_INVALID',
          '抽样总体无效（人口之和不得超过农业户籍人口，样本不得超过总体）',
          'the frames are not valid (their people within the rural population, samples within frames)',
        ),
      );
    const needExited = Math.min(min.exitedHouseholds, f.exitedHouseholds);
    const needNr = Math.min(min.nonRegisteredHouseholds, f.nonRegisteredHouseholds);
    if (d.wronglyExited.checked < needExited || d.missedPoor.checked < needNr)
      return refuse(
        e(
          'COUNTY_SAMPLE_TOO_SMALL',
          `样本不足：已脱贫户至少抽${needExited}户（实抽${d.wronglyExited.checked}户），未建档户至少抽${needNr}户（实抽${d.missedPoor.checked}户）`,
          `the sample is too small: at least ${needExited} exited households (${d.wronglyExited.checked} drawn) and ${needNr} non-registered households (${d.missedPoor.checked} drawn)`,
          { needExited, needNonRegistered: needNr, policy: countyCheckRef },
        ),
      );
  }
  const { failures, policy, composite } = evaluateProvincialCheck(
    countyById(d.countyId).kind,
    d,
    d.frames ? { frames: d.frames, ruralPopulation: app.ruralPopulation } : undefined,
  );
  return accept(
    ev('CountyProvincialCheckRecorded', {
      ...stamp(c),
      sample: d.sample,
      wronglyExited: d.wronglyExited,
      missedPoor: d.missedPoor,
      approval: d.approval,
      incomeGrowthBp: d.incomeGrowthBp,
      servicesAtOrNearProvince: d.servicesAtOrNearProvince,
      passed: failures.length === 0,
      failures: failures.map((f) => ({ code: f.code, zh: f.zh, en: f.en })),
      policy,
      frames: d.frames ?? null,
      composite,
    }),
  );
};

const postNotice = (c: C.PostCountyExitNotice, s: CountyState, rules: CountyRules): D => {
  const denied = gate(c, s, 'county-exit.post-notice');
  if (denied) return refuse(denied);
  const out = order(s, 'provincially-checked');
  if (out) return refuse(out);
  if (s.openObjectionId !== null) return refuse(e('COUNTY_OBJECTION_OPEN', '有未处理的异议', 'an objection is open'));
  if (!isInstant(c.data.endsAt)) return refuse(e('INVALID_INSTANT', '公示截止时间无效', 'the notice end is not a valid instant'));
  if ((Date.parse(c.data.endsAt) - Date.parse(c.meta.now)) / 1000 < rules.noticeMinSeconds) {
    return refuse(e('COUNTY_NOTICE_TOO_SHORT', `公示期不得少于${rules.noticeMinSeconds / 86_400}天`, `the notice must run at least ${rules.noticeMinSeconds / 86_400} days`));
  }
  return accept(ev('CountyExitNoticePosted', { ...stamp(c), endsAt: new Date(Date.parse(c.data.endsAt)).toISOString(), minimumSeconds: rules.noticeMinSeconds }));
};

const raiseObjection = (c: C.RaiseCountyExitObjection, s: CountyState): D => {
  const denied = gate(c, s, 'county-exit.object');
  if (denied) return refuse(denied);
  if (s.status === 'exited') return refuse(e('COUNTY_ALREADY_EXITED', '该县已退出', 'the county has already exited'));
  if (s.status !== 'in-notice') return refuse(e('COUNTY_NOTICE_MISSING', '不在公示期内', 'the county is not under notice'));
  if (s.application.noticeEndsAt && Date.parse(c.meta.now) >= Date.parse(s.application.noticeEndsAt))
    return refuse(e('COUNTY_NOTICE_ENDED', '公示期已结束', 'the notice period has ended'));
  return accept(ev('CountyExitObjectionRaised', { ...stamp(c), objectionId: c.data.objectionId, summary: c.data.summary }));
};

const resolveObjection = (c: C.ResolveCountyExitObjection, s: CountyState): D => {
  const denied = gate(c, s, 'county-exit.resolve-objection');
  if (denied) return refuse(denied);
  if (s.openObjectionId === null || s.openObjectionId !== c.data.objectionId)
    return refuse(e('COUNTY_OBJECTION_UNKNOWN', '没有该项未处理的异议', 'there is no open objection with this id'));
  return accept(ev('CountyExitObjectionResolved', { ...stamp(c), objectionId: c.data.objectionId, outcome: c.data.outcome, note: c.data.note }));
};

const announce = (c: C.AnnounceCountyExit, s: CountyState): D => {
  const denied = gate(c, s, 'county-exit.announce');
  if (denied) return refuse(denied);
  const out = order(s, 'in-notice');
  if (out) return refuse(out);
  if (s.status !== 'in-notice') return refuse(MISSING['not-applied']);
  if (s.application.noticeEndsAt && Date.parse(c.meta.now) < Date.parse(s.application.noticeEndsAt)) return refuse(MISSING['in-notice']);
  return accept(ev('CountyExited', { ...stamp(c), year: s.application.year, poorCounty: s.application.poorCounty, policy: s.application.policy }));
};

export const makeDecide =
  (rules: CountyRules = DEFAULT_COUNTY_RULES) =>
  (command: C.CountyCommand, state: CountyState): D => {
    switch (command.type) {
      case 'ApplyForCountyExit':
        return apply(command, state);
      case 'RecordCityPreCheck':
        return cityPreCheck(command, state);
      case 'RecordProvincialCheck':
        return provincialCheck(command, state);
      case 'PostCountyExitNotice':
        return postNotice(command, state, rules);
      case 'RaiseCountyExitObjection':
        return raiseObjection(command, state);
      case 'ResolveCountyExitObjection':
        return resolveObjection(command, state);
      case 'AnnounceCountyExit':
        return announce(command, state);
      default: {
        const _never: never = command;
        return _never;
      }
    }
  };
