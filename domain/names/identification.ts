import type { IDENTIFICATION_OUT_REASONS } from '../identification/events';
import type { ApplicantStatus } from '../identification/state';
import type { NameTable } from './name';

/** 识别 (identification of poor households): the steps people take (workflows/identification.messages.ts), the round's phases, an applicant's place. */
export type IdentificationStep = 'apply' | 'appraise' | 'postVillageNotice' | 'object' | 'townshipReview' | 'announce';
export const IDENTIFICATION_STEP_NAMES: NameTable<IdentificationStep> = {
  apply: { zh: '农户申请', en: "the household's application" },
  appraise: { zh: '识别民主评议', en: 'village appraisal of applications' },
  postVillageNotice: { zh: '识别村公示', en: 'village notice of the appraised list' },
  object: { zh: '对识别提出异议', en: 'objection' },
  townshipReview: { zh: '乡镇审核并公示', en: 'township review and notice' },
  announce: { zh: '县级审定公告', en: 'county approval and announcement' },
};

export type IdentificationPhaseId = 'applying' | 'village-notice' | 'township-review' | 'township-reviewed' | 'township-notice' | 'county-review' | 'announced' | 'closed';
export const IDENTIFICATION_PHASE_NAMES: NameTable<IdentificationPhaseId> = {
  applying: { zh: '农户申请、民主评议中', en: 'applications and appraisal' },
  'village-notice': { zh: '村公示中', en: 'in village notice' },
  'township-review': { zh: '待乡镇审核', en: 'awaiting the township review' },
  'township-reviewed': { zh: '乡镇已审核，待公示', en: 'township reviewed' },
  'township-notice': { zh: '乡镇公示中', en: 'in township notice' },
  'county-review': { zh: '待县级审定公告', en: 'awaiting the county' },
  announced: { zh: '已公告，已建档立卡', en: 'announced and registered' },
  closed: { zh: '已结束（无户通过）', en: 'closed with nobody left' },
};

export const IDENTIFICATION_STATUS_NAMES: NameTable<ApplicantStatus> = {
  applied: { zh: '已申请，待评议', en: 'applied' },
  appraised: { zh: '评议通过，待村公示', en: 'appraised' },
  'village-notice': { zh: '村公示中', en: 'in village notice' },
  'township-approved': { zh: '乡镇审核通过', en: 'approved by the township' },
  approved: { zh: '县级审定，已建档立卡', en: 'approved and registered' },
  out: { zh: '本轮未识别', en: 'left the round' },
};

export const IDENTIFICATION_OUT_REASON_NAMES: NameTable<(typeof IDENTIFICATION_OUT_REASONS)[number]> = {
  'appraisal-rejected': { zh: '民主评议未通过', en: 'appraisal rejected' },
  'objection-raised': { zh: '公示期有异议', en: 'objection raised' },
  'township-rejected': { zh: '乡镇审核未通过', en: 'township rejected' },
  'county-rejected': { zh: '县级审定未通过', en: 'county rejected' },
};
