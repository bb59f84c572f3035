import { PLAN_CATEGORIES } from '../reference/plan-money';
import type { ProjectCategory } from '../project/ids';
import type { ProjectStatus, FindingStatus } from '../project/state';
import type { DeadlineKind } from '../project/next-actor';
import type { ProjectCommand } from '../project/commands';
import type { ASSET_KINDS, ESCALATION_LEVELS } from '../project/events';
import type { PaymentKind } from '../fund/ids';
import type { ProjectLevel } from '../project/place';
import type { NameTable } from './name';

const CATEGORY_EN: Readonly<Record<ProjectCategory, string>> = {
  'transfer-employment': 'employment transfer',
  industry: 'industry support',
  relocation: 'relocation',
  'social-security': 'social security',
  'special-assistance': 'special assistance',
  education: 'education',
  health: 'health care',
  ecology: 'ecological protection',
  transport: 'transport',
  'power-telecom': 'power grid and telecoms',
  water: 'water',
  culture: 'culture',
  'land-environment': 'land and environment',
  'rural-energy': 'rural energy',
  'housing-renovation': 'housing renovation',
  finance: 'finance',
};

/** The plan's 16 categories with the plan's own Chinese names (reference/plan-money.ts). */
export const CATEGORY_NAMES: NameTable<ProjectCategory> = Object.fromEntries(PLAN_CATEGORIES.map((c) => [c.id, { zh: c.zh, en: CATEGORY_EN[c.id] }])) as NameTable<ProjectCategory>;

/** A project's stage, named by what has happened to it (and so what it waits for). */
export const STAGE_NAMES: NameTable<ProjectStatus | 'none'> = {
  none: { zh: '未申报', en: 'not proposed' },
  proposed: { zh: '已申报，待乡镇审核', en: 'proposed, awaiting township review' },
  'township-reviewed': { zh: '乡镇已审核，待县级审批', en: 'township-reviewed, awaiting county approval' },
  'county-approved': { zh: '县级已审批，待公示', en: 'county-approved, awaiting notice' },
  'in-notice': { zh: '公示中', en: 'in public notice' },
  'in-library': { zh: '已入项目库', en: 'in the project library' },
  funded: { zh: '资金已落实', en: 'funded' },
  'under-construction': { zh: '实施中', en: 'under construction' },
  completed: { zh: '已完工', en: 'completed' },
  accepted: { zh: '已验收', en: 'accepted' },
  settled: { zh: '已结算', en: 'settled' },
  closed: { zh: '已办结', en: 'closed' },
  rejected: { zh: '已驳回', en: 'rejected' },
  cancelled: { zh: '已撤销', en: 'cancelled' },
};

/** Every command a project takes, as the step a person (or the workflow) takes. */
export const PROJECT_STEP_NAMES: NameTable<ProjectCommand['type']> = {
  ProposeProject: { zh: '申报项目', en: 'propose the project' },
  SetPerformanceTarget: { zh: '设定绩效目标', en: 'set the performance target' },
  ApproveAtTownship: { zh: '乡镇审核通过', en: 'approve at the township' },
  RejectProject: { zh: '驳回项目', en: 'reject the project' },
  ApproveAtCounty: { zh: '县级审批通过', en: 'approve at the county' },
  PublishNotice: { zh: '发布公示', en: 'publish the notice' },
  RaiseObjection: { zh: '提出异议', en: 'raise an objection' },
  EnterLibrary: { zh: '纳入项目库', en: 'enter the project library' },
  RecordFunding: { zh: '安排资金', en: 'allocate funding' },
  StartConstruction: { zh: '开工建设', en: 'start construction' },
  ReportMilestone: { zh: '报告进度', en: 'report a milestone' },
  RecordPayment: { zh: '拨付资金', en: 'pay' },
  CompleteProject: { zh: '项目完工', en: 'complete the project' },
  AcceptProject: { zh: '项目验收', en: 'accept the project' },
  SettleProject: { zh: '项目结算', en: 'settle the project' },
  RecordAuditFinding: { zh: '记录审计问题', en: 'record an audit finding' },
  RemediateFinding: { zh: '整改审计问题', en: 'remediate a finding' },
  VerifyRemediation: { zh: '核实整改', en: 'verify the remediation' },
  HandOverAsset: { zh: '资产移交', en: 'hand over the asset' },
  CancelProject: { zh: '撤销项目', en: 'cancel the project' },
  EscalateProject: { zh: '逾期督办', en: 'escalate an overdue stage' },
};

/** The deadline keys of `--deadlines` and the workflow input: what each one times. */
export const DEADLINE_NAMES: NameTable<DeadlineKind> = {
  'township-review': { zh: '乡镇审核', en: 'township review' },
  'county-review': { zh: '县级审批', en: 'county review' },
  'notice-publication': { zh: '发布公示', en: 'publishing the notice' },
  'notice-period': { zh: '公示期满入库', en: 'entering the library after the notice' },
  funding: { zh: '资金落实', en: 'funding' },
  'construction-start': { zh: '开工', en: 'starting construction' },
  construction: { zh: '施工', en: 'construction' },
  acceptance: { zh: '验收', en: 'acceptance' },
  settlement: { zh: '结算及支付', en: 'settlement and its payment' },
  remediation: { zh: '审计整改', en: 'remediation' },
  'retention-release': { zh: '质保金支付', en: 'releasing the retention' },
  handover: { zh: '资产移交', en: 'handover' },
};

/** What a payment is for: a works milestone, or a benefit paid to a household (到户). */
export const MILESTONE_NAMES: NameTable<PaymentKind> = {
  advance: { zh: '预付款', en: 'advance' },
  progress: { zh: '进度款', en: 'progress payment' },
  settlement: { zh: '结算款', en: 'settlement payment' },
  retention: { zh: '质保金', en: 'retention' },
  benefit: { zh: '到户补助', en: 'benefit to a household' },
};

export const ASSET_KIND_NAMES: NameTable<(typeof ASSET_KINDS)[number]> = {
  business: { zh: '经营性资产', en: 'business asset' },
  'public-benefit': { zh: '公益性资产', en: 'public-benefit asset' },
  household: { zh: '到户类资产', en: 'household asset' },
};

export const ESCALATION_LEVEL_NAMES: NameTable<(typeof ESCALATION_LEVELS)[number]> = {
  township: { zh: '乡镇', en: 'township' },
  county: { zh: '县级', en: 'county' },
  city: { zh: '市级', en: 'city' },
};

export const FINDING_STATUS_NAMES: NameTable<FindingStatus> = {
  open: { zh: '待整改', en: 'open' },
  remediated: { zh: '已整改待核实', en: 'remediated' },
  verified: { zh: '整改已核实', en: 'verified' },
};

/** A project's level, by where it is carried out (实施地点). */
export const PROJECT_LEVEL_NAMES: NameTable<ProjectLevel> = {
  county: { zh: '县级项目', en: 'county-level project' },
  township: { zh: '乡级项目', en: 'township-level project' },
  village: { zh: '村级项目', en: 'village-level project' },
};
