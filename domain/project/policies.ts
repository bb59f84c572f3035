import { PROJECT_NOTICE_POLICY, type NoticePolicy } from '../policy/funding';
import { PAYMENT_TEMPLATE_POLICY, PAYMENT_TEMPLATE_POLICY_V1, type PaymentTemplatePolicy } from '../policy/payments';
import { NEGATIVE_LIST_POLICY, type NegativeListPolicy } from '../policy/negative-list';

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
