import { accept, refuse } from '../shared/result';
import type { CommandMeta } from '../shared/actor';
import type { DomainError } from '../shared/errors';
import { exitThresholdFor } from '../policy/poverty-line';
import { MONITORING_RULE_YEAR, monitoringThresholdFor } from '../policy/monitoring';
import { formatYuan } from '../shared/money';
import { authorize } from '../access';
import { assessExit } from './assessment';
import { GUARANTEE_LABELS, missingGuarantees, type Guarantees } from './guarantees';
import { recordMembers, validateMembers } from './members';
import { err, HOUSEHOLD_ERRORS as E } from './errors';
import type * as C from './commands';
import type { HouseholdEvent } from './events';
import { isInRound, isMonitored, type HouseholdFile, type HouseholdState } from './state';
import { PLAN_YEARS, ev, stamp, gate, isError, type D, type Registered } from './decide-common';

export const register = (c: C.RegisterHousehold, s: HouseholdState): D => {
  const d = c.data;
  const denied = authorize(c.meta.actor, 'household.register', { countyId: d.countyId });
  if (denied) return refuse(denied);
  if (s.status !== 'unregistered') return refuse(err(E.alreadyRegistered, '该户已建档立卡', 'the household is already registered'));
  if (!d.householdId.startsWith(`hh-${d.countyId}-`)) {
    return refuse(err(E.idNotForCounty, '户编号与所属县不符', `the household id must start with hh-${d.countyId}-`));
  }
  if (!d.villageId.startsWith(`vil-${d.countyId}-`)) return refuse(err(E.villageNotForCounty, '所属村不在该县', `the village is not in ${d.countyId}`));
  if (d.registeredYear < PLAN_YEARS.from || d.registeredYear > PLAN_YEARS.to) {
    return refuse(err(E.yearOutOfPlan, `建档年份须在${PLAN_YEARS.from}—${PLAN_YEARS.to}年之间`, `the registration year must be ${PLAN_YEARS.from}-${PLAN_YEARS.to}`));
  }
  const valid = validateMembers(d.members, c.meta.now.slice(0, 10));
  if (!Array.isArray(valid)) return refuse(valid);
  const members = recordMembers(valid, d.memberKeys);
  if (!Array.isArray(members)) return refuse(members);
  if (new Set(d.causes).size !== d.causes.length || d.causes.length === 0) {
    return refuse(err(E.causeDuplicate, '致贫原因须至少一项且不得重复', 'causes of poverty must be at least one and not repeated'));
  }
  return accept(
    ev('HouseholdRegistered', {
      ...stamp(c),
      countyId: d.countyId,
      villageId: d.villageId,
      registeredYear: d.registeredYear,
      members,
      causes: d.causes,
      perCapitaIncome: d.perCapitaIncome,
      stableIncomeSource: d.stableIncomeSource,
      guarantees: d.guarantees,
    }),
  );
};

/** After new facts: a round for that year ends if the household no longer meets the standard. */
const recheckRound = (c: { data: { householdId: string }; meta: CommandMeta }, s: Registered, file: HouseholdFile, year: number): HouseholdEvent[] => {
  if (!isInRound(s) || s.round.year !== year) return [];
  const a = assessExit({ year, perCapitaIncome: file.income.perCapita, stableIncomeSource: file.income.stableIncomeSource, guarantees: file.guarantees });
  return a && !a.eligible ? [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'no-longer-eligible' })] : [];
};

/**
 * After exit: a new income under 1.5 × the line, or a guarantee found lost, flags the household for
 * review. Each record is judged on what it brings, so clearing a flag and then recording unrelated
 * facts does not raise it again.
 */
const monitor = (
  c: { data: { householdId: string }; meta: CommandMeta },
  s: Registered,
  file: HouseholdFile,
  year: number,
  what: 'income' | 'guarantees',
): HouseholdEvent[] | DomainError => {
  if (s.status !== 'exited') return [];
  const m = monitoringThresholdFor(year);
  if (!m) return err(E.noPovertyLine, `${year}年没有脱贫标准，无法监测`, `no poverty line for ${year}: cannot monitor`);
  const income = formatYuan(file.income.perCapita);
  const limit = formatYuan(m.threshold);
  const lost = missingGuarantees(file.guarantees);
  const low = what === 'income' && file.income.perCapita < m.threshold;
  const lostAny = what === 'guarantees' && lost.length > 0;
  if (!low && !lostAny) return [];
  return [
    ev('HouseholdFlaggedForReturnRisk', {
      ...stamp(c),
      year,
      reasons: [low ? ('income-below-monitoring-line' as const) : ('guarantee-lost' as const)],
      perCapitaIncome: file.income.perCapita,
      monitoringThreshold: m.threshold,
      policy: m.policy,
      explanation: low
        ? {
            zh: `人均纯收入${income}低于监测线${limit}（${year}年标准的1.5倍${year < MONITORING_RULE_YEAR ? `；1.5倍监测线是${MONITORING_RULE_YEAR}年的规定（国开发〔2020〕6号），此处向前用于${year}年` : ''}）`,
            en: `income ${income} is below the monitoring line ${limit} (1.5 × the ${year} line${year < MONITORING_RULE_YEAR ? `; the 1.5 × line is a ${MONITORING_RULE_YEAR} rule, applied back to ${year}` : ''})`,
          }
        : { zh: `保障缺失：${lost.map((g) => GUARANTEE_LABELS[g].zh).join('、')}`, en: `guarantees lost: ${lost.map((g) => GUARANTEE_LABELS[g].en).join(', ')}` },
    }),
  ];
};

export const recordIncome = (c: C.RecordIncome, s0: HouseholdState): D => {
  const s = gate(c, s0, 'household.record-yearly');
  if (isError(s)) return refuse(s);
  if (c.data.year < s.file.income.year) {
    return refuse(
      err(
        E.recordYearBeforeLatest,
        `已有${s.file.income.year}年收入记录，不能补记更早年份`,
        `income for ${s.file.income.year} is already recorded; an earlier year cannot replace it`,
      ),
    );
  }
  if (c.data.year > PLAN_YEARS.to + 10) return refuse(err(E.yearOutOfPlan, '年份超出范围', 'the year is out of range'));
  const file: HouseholdFile = { ...s.file, income: { year: c.data.year, perCapita: c.data.perCapitaIncome, stableIncomeSource: c.data.stableIncomeSource } };
  const flagged = monitor(c, s, file, c.data.year, 'income');
  if (!Array.isArray(flagged)) return refuse(flagged);
  return accept(
    ev('HouseholdIncomeRecorded', { ...stamp(c), year: c.data.year, perCapitaIncome: c.data.perCapitaIncome, stableIncomeSource: c.data.stableIncomeSource }),
    ...recheckRound(c, s, file, c.data.year),
    ...flagged,
  );
};

export const updateGuarantees = (c: C.UpdateGuarantees, s0: HouseholdState): D => {
  const s = gate(c, s0, 'household.record-yearly');
  if (isError(s)) return refuse(s);
  if (c.data.year < s.file.guaranteesYear) {
    return refuse(err(E.recordYearBeforeLatest, `已有${s.file.guaranteesYear}年保障核查记录，不能补记更早年份`, `guarantees for ${s.file.guaranteesYear} are already recorded`));
  }
  if (c.data.year > PLAN_YEARS.to + 10) return refuse(err(E.yearOutOfPlan, '年份超出范围', 'the year is out of range'));
  const file: HouseholdFile = { ...s.file, guarantees: c.data.guarantees, guaranteesYear: c.data.year };
  const flagged = monitor(c, s, file, c.data.year, 'guarantees');
  if (!Array.isArray(flagged)) return refuse(flagged);
  return accept(ev('HouseholdGuaranteesUpdated', { ...stamp(c), year: c.data.year, guarantees: c.data.guarantees }), ...recheckRound(c, s, file, c.data.year), ...flagged);
};

export const assess = (c: C.AssessForExit, s0: HouseholdState): D => {
  const s = gate(c, s0, 'exit-round.assess');
  if (isError(s)) return refuse(s);
  if (isMonitored(s)) return refuse(err(E.alreadyExited, '该户已脱贫退出', 'the household has already exited'));
  if (isInRound(s))
    return refuse(err(E.roundInProgress, `该户正在${s.round.year}年退出程序中`, `the household is already in the ${s.round.year} exit round`, { status: s.status }));
  if (s.file.openObjectionId !== null)
    return refuse(err(E.objectionOpen, '有未处理的异议，不能启动退出', 'an objection is open: no exit round until it is resolved', { objectionId: s.file.openObjectionId }));
  const { year } = c.data;
  if (!exitThresholdFor(year)) return refuse(err(E.noPovertyLine, `${year}年没有脱贫标准`, `there is no exit threshold for ${year}`));
  if (s.file.income.year !== year) {
    return refuse(err(E.incomeNotRecorded, `尚未登记${year}年收入（最近为${s.file.income.year}年）`, `no income recorded for ${year} (latest is ${s.file.income.year})`));
  }
  if (s.file.guaranteesYear !== year) {
    return refuse(err(E.guaranteesNotChecked, `尚未核查${year}年两不愁三保障`, `the two worries and three guarantees have not been checked for ${year}`));
  }
  const a = assessExit({ year, perCapitaIncome: s.file.income.perCapita, stableIncomeSource: s.file.income.stableIncomeSource, guarantees: s.file.guarantees as Guarantees })!;
  return accept(
    ev('HouseholdAssessedForExit', {
      ...stamp(c),
      year,
      eligible: a.eligible,
      perCapitaIncome: a.perCapitaIncome,
      threshold: a.threshold,
      policy: a.policy,
      failures: a.failures.map((f) => ({ test: f.test, zh: f.zh, en: f.en })),
      explanation: a.explanation,
    }),
  );
};

/** Births, deaths, marriages: the member list is replaced, not patched, so the file is always whole. */
export const updateMembers = (c: C.UpdateMembers, s0: HouseholdState): D => {
  const s = gate(c, s0, 'household.record-yearly');
  if (isError(s)) return refuse(s);
  // Per-capita income and the assessment depend on who is in the household: not mid-round.
  if (isInRound(s))
    return refuse(
      err(E.roundInProgress, `该户正在${s.round.year}年退出程序中，成员变更须待程序结束`, `the household is in the ${s.round.year} exit round: change members after it`),
    );
  if (c.data.year < s.file.registeredYear || c.data.year > PLAN_YEARS.to + 10) return refuse(err(E.yearOutOfPlan, '年份超出范围', 'the year is out of range'));
  const valid = validateMembers(c.data.members, c.meta.now.slice(0, 10));
  if (!Array.isArray(valid)) return refuse(valid);
  const members = recordMembers(valid, c.data.memberKeys);
  if (!Array.isArray(members)) return refuse(members);
  return accept(ev('HouseholdMembersUpdated', { ...stamp(c), year: c.data.year, members }));
};
