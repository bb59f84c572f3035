import { domainError, type DomainError } from '../shared/errors';
import { EXIT_THRESHOLDS, exitThresholdsRef } from '../policy/exit-thresholds';
import type { PolicyRef } from '../policy/policy-ref';
import { formatIncidence, incidenceBelowPct, type IncidenceCount } from './incidence';
import { checkYear, unmetItems, type Checklist } from './checklist';

export interface VillageExitEvaluation {
  readonly passed: boolean;
  readonly failures: readonly DomainError[];
  readonly policy: PolicyRef;
}

/**
 * The village exit standard: incidence of the year below 2% and every checklist item closed. Each
 * failure names the test and its numbers, so a refusal explains itself.
 */
export const evaluateVillageExit = (year: number, count: IncidenceCount | undefined, checklist: Checklist): VillageExitEvaluation => {
  const pct = EXIT_THRESHOLDS.villageIncidenceBelowPct.value;
  const failures: DomainError[] = [];
  if (!count) {
    failures.push(domainError('VILLAGE_INCIDENCE_NOT_RECORDED', `尚未登记${year}年贫困发生率`, `no incidence recorded for ${year}`, { year }));
  } else if (!incidenceBelowPct(count, pct)) {
    failures.push(
      domainError('VILLAGE_INCIDENCE_TOO_HIGH', `贫困发生率${formatIncidence(count)}未降至${pct}%以下`, `incidence ${formatIncidence(count)} is not below ${pct}%`, {
        test: 'village-incidence',
        year,
        ...count,
        thresholdPct: pct,
      }),
    );
  }
  const unmet = unmetItems(checklist, year);
  if (unmet.length > 0) {
    // A check made in another year is named with its year, so the official knows to check again.
    const when = (id: (typeof unmet)[number]['id']) => {
      const at = checklist[id]?.checkedAt;
      return at !== undefined && checkYear(at) < year ? checkYear(at) : undefined;
    };
    const zh = unmet.map((i) => (when(i.id) === undefined ? i.zh : `${i.zh}（${when(i.id)}年核查，不计入${year}年）`));
    const en = unmet.map((i) => (when(i.id) === undefined ? i.en : `${i.en} (checked in ${when(i.id)}, before ${year})`));
    failures.push(
      domainError('VILLAGE_CHECKLIST_INCOMPLETE', `未达到村退出标准：${zh.join('；')}`, `village standard not met: ${en.join('; ')}`, {
        test: 'village-checklist',
        items: unmet.map((i) => i.id),
      }),
    );
  }
  return { passed: failures.length === 0, failures, policy: exitThresholdsRef };
};

/** One refusal for several failures: the first one's code, all of them in details. */
export const firstFailure = (failures: readonly DomainError[]): DomainError => {
  const first = failures[0]!;
  return failures.length === 1 ? first : { ...first, details: { ...first.details, failures: failures.map((f) => ({ code: f.code, zh: f.zh, en: f.en })) } };
};
