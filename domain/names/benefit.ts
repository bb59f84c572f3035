import type { PeriodKind } from '../benefit/programmes';
import type { RoundStage } from '../benefit/state';
import type { NameTable } from './name';

/** A benefit round's stages (domain/benefit/state.ts), as a township or county official reads them. */
export const BENEFIT_ROUND_STAGE_NAMES: NameTable<RoundStage> = {
  drafted: { zh: '名单已拟定', en: 'drafted' },
  'in-notice': { zh: '公示中', en: 'in notice' },
  'township-reviewed': { zh: '乡镇已审核', en: 'township-reviewed' },
  approved: { zh: '县级已审批', en: 'approved' },
  disbursing: { zh: '拨付中', en: 'disbursing' },
  closed: { zh: '已结束', en: 'closed' },
  rejected: { zh: '已退回', en: 'rejected' },
};

/** Where a benefit round's process stands (workflows/benefit-round.messages.ts BenefitRoundPhase), as the CLI tells it after a step. */
export type BenefitRoundPhaseId = 'drafting' | 'drafted' | 'in-notice' | 'township-review' | 'county-approval' | 'awaiting-payment' | 'paying' | 'closed' | 'rejected' | 'refused';
export const BENEFIT_ROUND_PHASE_NAMES: NameTable<BenefitRoundPhaseId> = {
  drafting: { zh: '名单拟定中', en: 'drafting' },
  drafted: { zh: '名单已拟定', en: 'drafted' },
  'in-notice': { zh: '公示中', en: 'in notice' },
  'township-review': { zh: '待乡镇审核', en: 'awaiting the township review' },
  'county-approval': { zh: '待县级审批', en: 'awaiting the county approval' },
  'awaiting-payment': { zh: '待拨付', en: 'awaiting payment' },
  paying: { zh: '拨付中', en: 'paying' },
  closed: { zh: '已结束', en: 'closed' },
  rejected: { zh: '已退回', en: 'rejected' },
  refused: { zh: '名单未能拟定', en: 'refused' },
};

/** Where a complaint stands (workflows/complaint-case.messages.ts ComplaintPhase). */
export const COMPLAINT_PHASE_NAMES: NameTable<'open' | 'answered'> = {
  open: { zh: '待答复', en: 'open' },
  answered: { zh: '已答复', en: 'answered' },
};

/** What a step of a benefit round does: the refusals' "cannot …" and the separation-of-duties names. */
export const BENEFIT_ROUND_STEPS = [
  'draft',
  'post-notice',
  'rule-objection',
  'review',
  'township-review',
  'approve',
  'county-approval',
  'start-paying',
  'payment',
  'record-payments',
  'record-returns',
  'close',
] as const;
export type BenefitRoundStep = (typeof BENEFIT_ROUND_STEPS)[number];
export const BENEFIT_ROUND_STEP_NAMES: NameTable<BenefitRoundStep> = {
  draft: { zh: '拟定名单', en: 'draft' },
  'post-notice': { zh: '公示名单', en: 'post the notice' },
  'rule-objection': { zh: '处理异议', en: 'rule on an objection' },
  review: { zh: '审核名单', en: 'review' },
  'township-review': { zh: '乡镇审核', en: 'township review' },
  approve: { zh: '审批名单', en: 'approve' },
  'county-approval': { zh: '县级审批', en: 'county approval' },
  'start-paying': { zh: '开始拨付', en: 'start paying' },
  payment: { zh: '拨付', en: 'payment' },
  'record-payments': { zh: '登记支付', en: 'record payments' },
  'record-returns': { zh: '登记退回', en: 'record returns' },
  close: { zh: '结束批次', en: 'close' },
};

export const PERIOD_KIND_NAMES: NameTable<PeriodKind> = {
  year: { zh: '年', en: 'year' },
  semester: { zh: '学期', en: 'semester' },
  month: { zh: '月', en: 'month' },
  once: { zh: '一次性', en: 'once' },
};

/** The tiers of the per-person standards (domain/benefit/programmes.ts), in the plan's words. */
export const BENEFIT_TIER_NAMES: NameTable<'primary' | 'junior' | 'centralised' | 'dispersed'> = {
  primary: { zh: '小学', en: 'primary' },
  junior: { zh: '初中', en: 'junior secondary' },
  centralised: { zh: '集中供养', en: 'centralised support' },
  dispersed: { zh: '分散供养', en: 'dispersed support' },
};
