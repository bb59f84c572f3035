import { PROJECT_NOTICE_POLICY, type NoticePolicy } from '../policy/funding';
import { PAYMENT_TEMPLATE_POLICY, type PaymentTemplatePolicy } from '../policy/payments';
import { NEGATIVE_LIST_POLICY, type NegativeListPolicy } from '../policy/negative-list';

/**
 * The rule tables a project decision reads. Workflows may build a decider with other versions
 * (a test policy with a short notice period); every event records the version it was decided by.
 */
export interface ProjectPolicies {
  readonly notice: NoticePolicy;
  readonly payments: PaymentTemplatePolicy;
  readonly negativeList: NegativeListPolicy;
}

export const PLAN_POLICIES: ProjectPolicies = {
  notice: PROJECT_NOTICE_POLICY,
  payments: PAYMENT_TEMPLATE_POLICY,
  negativeList: NEGATIVE_LIST_POLICY,
};
