import { PROJECT_NOTICE_POLICY, type NoticePolicy } from '../policy/funding';
import { PAYMENT_TEMPLATE_POLICY, PAYMENT_TEMPLATE_POLICY_V1, type PaymentTemplatePolicy } from '../policy/payments';
import { NEGATIVE_LIST_POLICY, type NegativeListPolicy } from '../policy/negative-list';
import type { PolicyVersion } from '../policy/table';
import type { CountyId } from '../reference/counties';

/**
 * The rule tables a project decision reads. Workflows may build a decider with other versions
 * (a test policy with a short notice period); every event records the version it was decided by.
 */
export interface ProjectPolicies {
  readonly notice: NoticePolicy;
  readonly payments: PaymentTemplatePolicy;
  readonly negativeList: NegativeListPolicy;
  /** Whether a project in a category with standards must state its subsidy bases (absent: it must). */
  readonly subsidyBasesRequired?: boolean;
}

export const PLAN_POLICIES: ProjectPolicies = {
  notice: PROJECT_NOTICE_POLICY,
  payments: PAYMENT_TEMPLATE_POLICY,
  negativeList: NEGATIVE_LIST_POLICY,
};

/**
 * The rules as they stood before the payment template's version 2 and required subsidy bases: a
 * workflow whose history was recorded under them replays with them (patched in the project process).
 */
export const POLICIES_BEFORE_V2: ProjectPolicies = { ...PLAN_POLICIES, payments: PAYMENT_TEMPLATE_POLICY_V1, subsidyBasesRequired: false };

/**
 * The project tables in force for a county on a day: what a project process decides by, taken at its
 * start from these tables and never from whoever starts it (workflows/project-lifecycle.ts). One set
 * for every county today; a county's own version would be listed here with its counties and dates.
 * Lenient or scaled sets (tests, `npm run demo`) run only where the namespace is configured for tests
 * or simulation (TUOPIN_SIMULATION_NAMESPACES).
 */
export const projectPoliciesInForce = (_countyId: CountyId, _day: string): ProjectPolicies => PLAN_POLICIES;

/** Every project table version a decision may be recorded under: those in force, and those kept for processes begun under them. */
const RECOGNISED: readonly PolicyVersion[] = [PROJECT_NOTICE_POLICY, PAYMENT_TEMPLATE_POLICY, PAYMENT_TEMPLATE_POLICY_V1, NEGATIVE_LIST_POLICY];

/** Whether a decision recorded under this table version was taken under a table in force (anomaly `policy-not-in-force` otherwise). */
export const isProjectPolicyInForce = (p: PolicyVersion): boolean => RECOGNISED.some((r) => r.id === p.id && r.version === p.version);
