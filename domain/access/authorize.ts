import { COUNTY_SCOPED_ROLES, type Actor } from '../shared/actor';
import { domainError, type DomainError } from '../shared/errors';
import type { CountyId } from '../reference/counties';
import { PERMISSIONS, type Action } from './actions';
import { zhOf } from '../names/name';
import { ROLE_NAMES } from '../names/roles';
import { ACTION_NAMES } from '../names/actions';

/** What an action touches, as far as the access rules care. */
export interface Resource {
  readonly countyId?: CountyId;
  readonly proposedBy?: string;
  readonly approvedBy?: string;
  /** In a household's exit round: who appraised it (民主评议) and who checked it (入户核实). */
  readonly appraisedBy?: string;
  readonly checkedBy?: string;
  /** In an identification round (识别): who reviewed it at the township (乡审核). */
  readonly reviewedBy?: string;
}

export const ACCESS_ERRORS = {
  roleNotAllowed: 'ACCESS_ROLE_NOT_ALLOWED',
  outOfCounty: 'ACCESS_OUT_OF_COUNTY',
  proposerCannotReview: 'ACCESS_PROPOSER_CANNOT_REVIEW',
  proposerCannotApprove: 'ACCESS_PROPOSER_CANNOT_APPROVE',
  approverCannotAccept: 'ACCESS_APPROVER_CANNOT_ACCEPT',
  proposerCannotAccept: 'ACCESS_PROPOSER_CANNOT_ACCEPT',
  appraiserCannotCheck: 'ACCESS_APPRAISER_CANNOT_CHECK',
  checkerCannotRecordConsent: 'ACCESS_CHECKER_CANNOT_RECORD_CONSENT',
  appraiserCannotReview: 'ACCESS_APPRAISER_CANNOT_REVIEW',
  appraiserCannotApprove: 'ACCESS_APPRAISER_CANNOT_APPROVE',
} as const;

const REVIEWS: readonly Action[] = ['project.township-review'];

/**
 * The one gate every decider passes first, so no caller can skip separation of duties or scope.
 * Returns the refusal, or undefined when the actor may act.
 */
export const authorize = (actor: Actor, action: Action, resource: Resource = {}): DomainError | undefined => {
  if (!PERMISSIONS[actor.role].includes(action)) {
    return domainError(ACCESS_ERRORS.roleNotAllowed, `${zhOf(ROLE_NAMES, actor.role)}无权办理“${zhOf(ACTION_NAMES, action)}”`, `the role ${actor.role} may not ${action}`, {
      role: actor.role,
      action,
    });
  }
  if (COUNTY_SCOPED_ROLES.includes(actor.role) && resource.countyId !== undefined && actor.countyId !== resource.countyId) {
    return domainError(ACCESS_ERRORS.outOfCounty, `${zhOf(ROLE_NAMES, actor.role)}只能在本县范围内办理`, `a ${actor.role} acts only in their own county`, {
      actorCounty: actor.countyId,
      resourceCounty: resource.countyId,
    });
  }
  if (REVIEWS.includes(action) && resource.proposedBy === actor.userId) {
    return domainError(ACCESS_ERRORS.proposerCannotReview, '申报人不得审核自己申报的项目', 'the proposer may not review their own project');
  }
  if (action === 'project.county-review' && resource.proposedBy === actor.userId) {
    return domainError(ACCESS_ERRORS.proposerCannotApprove, '申报人不得审批自己申报的项目', 'the proposer may not approve their own project');
  }
  // Acceptance (验收) is done by someone who neither put the project forward nor approved it.
  if (action === 'project.accept' && resource.approvedBy === actor.userId) {
    return domainError(ACCESS_ERRORS.approverCannotAccept, '审批人不得验收自己审批的项目', 'the approver may not accept the project they approved');
  }
  if (action === 'project.accept' && resource.proposedBy === actor.userId) {
    return domainError(ACCESS_ERRORS.proposerCannotAccept, '申报人不得验收自己申报的项目', 'the proposer may not accept their own project');
  }
  // A household's exit: the appraiser, the checker and the one who records consent are three people.
  if (action === 'exit-round.check' && resource.appraisedBy === actor.userId) {
    return domainError(ACCESS_ERRORS.appraiserCannotCheck, '参与民主评议的人员不得核实同一户', 'whoever appraised the household may not check it');
  }
  if (action === 'exit-round.consent' && (resource.checkedBy === actor.userId || resource.appraisedBy === actor.userId)) {
    return domainError(ACCESS_ERRORS.checkerCannotRecordConsent, '评议或核实该户的人员不得登记其认可', 'whoever appraised or checked the household may not record its consent');
  }
  // 识别: the appraiser (村两委), the township's reviewer and the county's approver are three people.
  if (action === 'identification.township-review' && resource.appraisedBy === actor.userId) {
    return domainError(ACCESS_ERRORS.appraiserCannotReview, '参与民主评议的人员不得审核同一轮识别', 'whoever appraised the applications may not review them at the township');
  }
  if (action === 'identification.announce' && (resource.appraisedBy === actor.userId || resource.reviewedBy === actor.userId)) {
    return domainError(
      ACCESS_ERRORS.appraiserCannotApprove,
      '参与民主评议或乡镇审核的人员不得审定同一轮识别',
      'whoever appraised or reviewed the applications may not approve them for the county',
    );
  }
  return undefined;
};

export const can = (actor: Actor, action: Action, resource: Resource = {}): boolean => authorize(actor, action, resource) === undefined;
