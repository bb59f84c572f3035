import { CHECKLIST_ITEMS, type CheckResult, type ChecklistItemId } from '../village/checklist';
import type { VILLAGE_ROUND } from '../village/state';
import type { COUNTY_ROUND } from '../county/state';
import type { HouseholdStatus } from '../household/state';
import type { EXIT_ROUND_END_REASONS } from '../household/events';
import type { Name, NameTable } from './name';

/**
 * The exit processes' steps as people take them (the Updates of workflows/*-exit.messages.ts,
 * exit-round.messages.ts and return-review.messages.ts: workflows/step-names.unit.spec.ts checks
 * every step there has a name here), and their phases.
 */
export type ExitRoundStep = 'appraise' | 'check' | 'consent' | 'withdrawConsent' | 'postNotice' | 'object' | 'townshipReview' | 'announce';
export const EXIT_ROUND_STEP_NAMES: NameTable<ExitRoundStep> = {
  appraise: { zh: '村民主评议', en: 'village appraisal' },
  check: { zh: '驻村工作队核实', en: 'work-team check' },
  consent: { zh: '贫困户认可', en: "the household's consent" },
  withdrawConsent: { zh: '撤回认可', en: 'consent withdrawn' },
  postNotice: { zh: '村内公示', en: 'village notice' },
  object: { zh: '提出异议', en: 'objection' },
  townshipReview: { zh: '乡镇审核', en: 'township review' },
  announce: { zh: '县级公告退出', en: 'county announcement' },
};

export type ExitRoundPhaseId = 'assessing' | 'village-steps' | 'in-notice' | 'township-review' | 'announcing' | 'announced' | 'closed';
export const EXIT_ROUND_PHASE_NAMES: NameTable<ExitRoundPhaseId> = {
  assessing: { zh: '评估中', en: 'assessing' },
  'village-steps': { zh: '村内评议核实中', en: 'appraisal, check and consent' },
  'in-notice': { zh: '村内公示中', en: 'in village notice' },
  'township-review': { zh: '待乡镇审核', en: 'awaiting township review' },
  announcing: { zh: '待县级公告', en: 'awaiting the announcement' },
  announced: { zh: '已公告退出', en: 'announced' },
  closed: { zh: '已结束', en: 'closed' },
};

export type VillageExitStep = 'review' | 'object' | 'announce';
export const VILLAGE_EXIT_STEP_NAMES: NameTable<VillageExitStep> = {
  review: { zh: '县级审核', en: 'county review' },
  object: { zh: '提出异议', en: 'objection' },
  announce: { zh: '县级公告退出', en: 'county announcement' },
};

export type VillageExitPhaseId = 'recording' | 'awaiting-review' | 'in-notice' | 'awaiting-announcement' | 'exited' | 'blocked';
export const VILLAGE_EXIT_PHASE_NAMES: NameTable<VillageExitPhaseId> = {
  recording: { zh: '登记核查结果中', en: 'recording the checks' },
  'awaiting-review': { zh: '待县级审核', en: 'awaiting county review' },
  'in-notice': { zh: '公示中', en: 'in notice' },
  'awaiting-announcement': { zh: '待县级公告', en: 'awaiting the announcement' },
  exited: { zh: '已退出', en: 'exited' },
  blocked: { zh: '未达退出标准', en: 'blocked' },
};

export type CountyExitStep = 'cityPreCheck' | 'provincialCheck' | 'object' | 'announce';
export const COUNTY_EXIT_STEP_NAMES: NameTable<CountyExitStep> = {
  cityPreCheck: { zh: '市级初审', en: 'city pre-check' },
  provincialCheck: { zh: '省级核查（第三方评估）', en: 'provincial check (third-party evaluation)' },
  object: { zh: '提出异议', en: 'objection' },
  announce: { zh: '省人民政府批准并公告摘帽', en: 'the provincial government approves and announces the exit' },
};

export type CountyExitPhaseId = 'applying' | 'awaiting-city' | 'awaiting-province' | 'in-notice' | 'awaiting-announcement' | 'exited' | 'blocked';
export const COUNTY_EXIT_PHASE_NAMES: NameTable<CountyExitPhaseId> = {
  applying: { zh: '申请中', en: 'applying' },
  'awaiting-city': { zh: '待市级初审', en: 'awaiting the city pre-check' },
  'awaiting-province': { zh: '待省级核查', en: 'awaiting the provincial check' },
  'in-notice': { zh: '公示中', en: 'in notice' },
  'awaiting-announcement': { zh: '待省人民政府批准公告', en: 'awaiting the provincial announcement' },
  exited: { zh: '已摘帽', en: 'exited' },
  blocked: { zh: '未达摘帽标准', en: 'blocked' },
};

export type ReturnReviewStep = 'visit' | 'postNotice' | 'decide';
export const RETURN_REVIEW_STEP_NAMES: NameTable<ReturnReviewStep> = {
  visit: { zh: '入户核查', en: 'home visit' },
  postNotice: { zh: '公示', en: 'notice' },
  decide: { zh: '县级认定', en: 'county decision' },
};

export type ReturnReviewPhaseId = 'awaiting-visit' | 'visited' | 'in-notice' | 'awaiting-decision' | 'returned' | 'cleared';
export const RETURN_REVIEW_PHASE_NAMES: NameTable<ReturnReviewPhaseId> = {
  'awaiting-visit': { zh: '待入户核查', en: 'awaiting the visit' },
  visited: { zh: '已核查，待公示', en: 'visited' },
  'in-notice': { zh: '公示中', en: 'in notice' },
  'awaiting-decision': { zh: '待县级认定', en: 'awaiting the decision' },
  returned: { zh: '认定返贫', en: 'returned to poverty' },
  cleared: { zh: '风险已消除', en: 'cleared' },
};

/** The village standard's items, with the plan's own wording (village/checklist.ts). */
export const CHECKLIST_ITEM_NAMES: NameTable<ChecklistItemId> = Object.fromEntries(
  CHECKLIST_ITEMS.map((i) => [i.id, { zh: i.zh, en: i.en } satisfies Name]),
) as NameTable<ChecklistItemId>;

export const CHECK_RESULT_NAMES: NameTable<CheckResult> = {
  met: { zh: '达标', en: 'met' },
  'not-met': { zh: '未达标', en: 'not met' },
  'not-feasible': { zh: '不具备条件', en: 'not feasible' },
  considered: { zh: '已统筹考虑', en: 'considered' },
};

export const HOUSEHOLD_STATUS_NAMES: NameTable<HouseholdStatus> = {
  unregistered: { zh: '未建档', en: 'unregistered' },
  poor: { zh: '建档立卡贫困户', en: 'registered poor' },
  assessed: { zh: '已评估，待村评议', en: 'assessed' },
  appraised: { zh: '村已评议，待工作队核实', en: 'appraised' },
  checked: { zh: '已核实，待本户认可', en: 'checked' },
  consented: { zh: '本户已认可，待公示', en: 'consented' },
  'in-notice': { zh: '公示中', en: 'in notice' },
  'township-reviewed': { zh: '乡镇已审核，待公告', en: 'township-reviewed' },
  exited: { zh: '已脱贫', en: 'exited' },
  flagged: { zh: '返贫风险监测中', en: 'flagged for return risk' },
  'return-visited': { zh: '返贫核查已入户', en: 'visited for return review' },
  'return-notice': { zh: '返贫认定公示中', en: 'in return notice' },
  removed: { zh: '已清退（退出建档立卡）', en: 'removed from the register' },
};

export const EXIT_ROUND_END_REASON_NAMES: NameTable<(typeof EXIT_ROUND_END_REASONS)[number]> = {
  'village-appraisal-rejected': { zh: '村民主评议未通过', en: 'village appraisal rejected' },
  'work-team-not-confirmed': { zh: '工作队核实未通过', en: 'work team did not confirm' },
  'consent-refused': { zh: '本户不认可', en: 'consent refused' },
  'consent-withdrawn': { zh: '本户撤回认可', en: 'consent withdrawn' },
  'objection-raised': { zh: '公示期有异议', en: 'objection raised' },
  'township-rejected': { zh: '乡镇审核未通过', en: 'township rejected' },
  'no-longer-eligible': { zh: '不再符合退出标准', en: 'no longer eligible' },
};

export const VILLAGE_STATUS_NAMES: NameTable<'unregistered' | 'poor' | (typeof VILLAGE_ROUND)[number] | 'exited'> = {
  unregistered: { zh: '未登记', en: 'unregistered' },
  poor: { zh: '贫困村', en: 'poor village' },
  applied: { zh: '已申请退出', en: 'exit applied' },
  reviewed: { zh: '县级已审核', en: 'reviewed' },
  'in-notice': { zh: '公示中', en: 'in notice' },
  exited: { zh: '已退出', en: 'exited' },
};

export const COUNTY_STATUS_NAMES: NameTable<'not-applied' | (typeof COUNTY_ROUND)[number] | 'blocked' | 'exited'> = {
  'not-applied': { zh: '未申请', en: 'not applied' },
  applied: { zh: '已申请摘帽', en: 'applied' },
  'city-checked': { zh: '市级已初审', en: 'city-checked' },
  'provincially-checked': { zh: '省级已核查', en: 'provincially checked' },
  'in-notice': { zh: '公示中', en: 'in notice' },
  blocked: { zh: '未达摘帽标准', en: 'blocked' },
  exited: { zh: '已摘帽', en: 'exited' },
};
