import { domainError, type DomainError } from '../shared/errors';

/** Stable refusal codes of the household decider. Clients and tests match on these strings. */
export const HOUSEHOLD_ERRORS = {
  notRegistered: 'HOUSEHOLD_NOT_REGISTERED',
  alreadyRegistered: 'HOUSEHOLD_ALREADY_REGISTERED',
  idMismatch: 'HOUSEHOLD_ID_MISMATCH',
  idNotForCounty: 'HOUSEHOLD_ID_NOT_FOR_COUNTY',
  villageNotForCounty: 'HOUSEHOLD_VILLAGE_NOT_FOR_COUNTY',
  residentIdInvalid: 'RESIDENT_ID_INVALID',
  memberDuplicate: 'HOUSEHOLD_MEMBER_DUPLICATE',
  memberKeysMissing: 'HOUSEHOLD_MEMBER_KEYS_MISSING',
  householderCount: 'HOUSEHOLD_NEEDS_ONE_HOUSEHOLDER',
  causeDuplicate: 'HOUSEHOLD_CAUSE_DUPLICATE',
  yearOutOfPlan: 'HOUSEHOLD_YEAR_OUT_OF_PLAN',
  recordYearBeforeLatest: 'HOUSEHOLD_RECORD_YEAR_BEFORE_LATEST',
  noPovertyLine: 'NO_POVERTY_LINE_FOR_YEAR',
  incomeNotRecorded: 'EXIT_INCOME_NOT_RECORDED_FOR_YEAR',
  guaranteesNotChecked: 'EXIT_GUARANTEES_NOT_CHECKED_FOR_YEAR',
  roundInProgress: 'EXIT_ROUND_IN_PROGRESS',
  objectionOpen: 'EXIT_OBJECTION_OPEN',
  objectionUnknown: 'EXIT_OBJECTION_UNKNOWN',
  notAssessed: 'EXIT_NOT_ASSESSED',
  appraisalMissing: 'EXIT_VILLAGE_APPRAISAL_MISSING',
  workTeamCheckMissing: 'EXIT_WORK_TEAM_CHECK_MISSING',
  consentMissing: 'EXIT_CONSENT_MISSING',
  noticeMissing: 'EXIT_NOTICE_MISSING',
  noticeRunning: 'EXIT_NOTICE_RUNNING',
  noticeEnded: 'EXIT_NOTICE_ENDED',
  noticeTooShort: 'EXIT_NOTICE_TOO_SHORT',
  townshipReviewMissing: 'EXIT_TOWNSHIP_REVIEW_MISSING',
  stepAlreadyTaken: 'EXIT_STEP_ALREADY_TAKEN',
  alreadyExited: 'HOUSEHOLD_ALREADY_EXITED',
  notExited: 'HOUSEHOLD_NOT_EXITED',
  notFlagged: 'RETURN_NOT_FLAGGED',
  visitMissing: 'RETURN_VISIT_MISSING',
  returnNoticeMissing: 'RETURN_NOTICE_MISSING',
  returnNoticeRunning: 'RETURN_NOTICE_RUNNING',
  returnNoticeTooShort: 'RETURN_NOTICE_TOO_SHORT',
  returnStepAlreadyTaken: 'RETURN_STEP_ALREADY_TAKEN',
  invalidInstant: 'INVALID_INSTANT',
  removed: 'HOUSEHOLD_REMOVED',
  removalPending: 'HOUSEHOLD_REMOVAL_PENDING',
  removalNotProposed: 'HOUSEHOLD_REMOVAL_NOT_PROPOSED',
  memberNotOnFile: 'HOUSEHOLD_MEMBER_NOT_ON_FILE',
  lastMember: 'HOUSEHOLD_LAST_MEMBER',
} as const;

export type HouseholdErrorCode = (typeof HOUSEHOLD_ERRORS)[keyof typeof HOUSEHOLD_ERRORS];

export const err = (code: HouseholdErrorCode, zh: string, en: string, details?: Record<string, unknown>): DomainError => domainError(code, zh, en, details);

/** The refusal for an exit step whose predecessor has not happened: names the first missing step. */
export const MISSING_STEP: Readonly<Record<'poor' | 'assessed' | 'appraised' | 'checked' | 'consented' | 'in-notice', DomainError>> = {
  poor: err(HOUSEHOLD_ERRORS.notAssessed, '尚未进行脱贫评估，或评估未达标', 'the household has not been assessed as meeting the exit standard'),
  assessed: err(HOUSEHOLD_ERRORS.appraisalMissing, '尚未经过村民主评议', 'the village democratic appraisal has not been held'),
  appraised: err(HOUSEHOLD_ERRORS.workTeamCheckMissing, '尚未经过驻村工作队核实', 'the work team has not checked the household'),
  checked: err(HOUSEHOLD_ERRORS.consentMissing, '贫困户未签字认可脱贫，不得退出（禁止“被脱贫”）', 'the household has not consented: no exit without consent (被脱贫 is forbidden)'),
  consented: err(HOUSEHOLD_ERRORS.noticeMissing, '尚未进行公示', 'the exit notice has not been posted'),
  'in-notice': err(HOUSEHOLD_ERRORS.townshipReviewMissing, '尚未经过乡镇审核，县不得公告退出', 'the township has not reviewed the exit: the county cannot announce it'),
};
