import { authorize } from '../access/authorize';
import type { Action } from '../access/actions';
import { accept, refuse, type Decision } from '../shared/result';
import type { ProjectCommand } from './commands';
import { projectError as err } from './errors';
import type { ProjectEvent } from './events';
import { PLAN_POLICIES, type ProjectPolicies } from './policies';
import { BEFORE_LIBRARY, CANCELLABLE, PROJECT_STATUSES, TERMINAL, type ExistingProject, type ProjectState, type ProjectStatus } from './state';
import * as approval from './decide-approval';
import * as works from './decide-works';
import * as closing from './decide-closing';
import { recordPayment } from './payment-rules';

type Type = ProjectCommand['type'];
type D = Decision<ProjectEvent>;

const ALL = PROJECT_STATUSES;
const LIVE = PROJECT_STATUSES.filter((s) => !TERMINAL.includes(s));

/**
 * For each command: the access action and the stages it may be given in. Order by construction:
 * a command outside its stages is refused before any of its own rules are read.
 */
const RULES: Record<Exclude<Type, 'ProposeProject' | 'RejectProject'>, { action: Action; in: readonly ProjectStatus[] }> = {
  SetPerformanceTarget: { action: 'project.set-target', in: BEFORE_LIBRARY },
  ApproveAtTownship: { action: 'project.township-review', in: ['proposed'] },
  ApproveAtCounty: { action: 'project.county-review', in: ['township-reviewed'] },
  PublishNotice: { action: 'project.publish-notice', in: ['county-approved'] },
  RaiseObjection: { action: 'project.record-objection', in: ['in-notice'] },
  EnterLibrary: { action: 'project.enter-library', in: ['in-notice'] },
  RecordFunding: { action: 'project.record-funding', in: ['in-library'] },
  StartConstruction: { action: 'project.start-construction', in: ['funded'] },
  ReportMilestone: { action: 'project.report-milestone', in: ['under-construction'] },
  // Payments check their own order (payment-rules.ts) to say which step is missing.
  RecordPayment: { action: 'project.record-payment', in: ALL },
  CompleteProject: { action: 'project.complete', in: ['under-construction'] },
  AcceptProject: { action: 'project.accept', in: ['completed'] },
  SettleProject: { action: 'project.settle', in: ['accepted'] },
  RecordAuditFinding: { action: 'project.record-finding', in: ALL },
  RemediateFinding: { action: 'project.remediate-finding', in: ALL },
  VerifyRemediation: { action: 'project.verify-remediation', in: ALL },
  HandOverAsset: { action: 'project.hand-over', in: ['settled'] },
  CancelProject: { action: 'project.cancel', in: CANCELLABLE },
  EscalateProject: { action: 'project.escalate', in: LIVE },
};

/** Rejection is a review: the township's while it waits for the township, the county's after. */
export const ruleFor = (type: Type, s: Pick<ExistingProject, 'status'>): { action: Action; in: readonly ProjectStatus[] } => {
  if (type === 'ProposeProject') return { action: 'project.propose', in: [] };
  if (type === 'RejectProject')
    return s.status === 'proposed' ? { action: 'project.township-review', in: ['proposed'] } : { action: 'project.county-review', in: ['township-reviewed'] };
  return RULES[type];
};

export const makeDecide =
  (policies: ProjectPolicies) =>
  (command: ProjectCommand, state: ProjectState): D => {
    const actor = command.meta.actor;
    if (command.type === 'ProposeProject') {
      const denied = authorize(actor, 'project.propose', { countyId: command.data.countyId });
      if (denied) return refuse(denied);
      return state.status === 'none' ? approval.propose(command, policies) : refuse(err('PROJECT_ALREADY_EXISTS'));
    }
    if (state.status === 'none') {
      const actions: Action[] = command.type === 'RejectProject' ? ['project.township-review', 'project.county-review'] : [RULES[command.type].action];
      const denials = actions.map((a) => authorize(actor, a));
      return refuse(denials.every((d) => d !== undefined) ? denials[0]! : err('PROJECT_NOT_FOUND'));
    }
    const rule = ruleFor(command.type, state);
    const denied = authorize(actor, rule.action, { countyId: state.countyId, proposedBy: state.proposedBy, approvedBy: state.approvedBy });
    if (denied) return refuse(denied);
    if (!rule.in.includes(state.status)) return refuse(err('PROJECT_OUT_OF_ORDER', { status: state.status, command: command.type, allowedIn: rule.in }));
    return dispatch(command, state, policies);
  };

const dispatch = (c: Exclude<ProjectCommand, { type: 'ProposeProject' }>, s: ExistingProject, p: ProjectPolicies): D => {
  switch (c.type) {
    case 'SetPerformanceTarget':
      return approval.setTarget(c);
    case 'ApproveAtTownship':
      return approval.approveAtTownship(c);
    case 'RejectProject':
      return approval.reject(c, s);
    case 'ApproveAtCounty':
      return approval.approveAtCounty(c);
    case 'PublishNotice':
      return approval.publishNotice(c, p);
    case 'RaiseObjection':
      return approval.raiseObjection(c);
    case 'EnterLibrary':
      return approval.enterLibrary(c, s, p);
    case 'RecordFunding':
      return works.recordFunding(c, s);
    case 'StartConstruction':
      return works.startConstruction(c, s, p);
    case 'ReportMilestone':
      return works.reportMilestone(c, s);
    case 'RecordPayment':
      return recordPayment(c, s, p);
    case 'CompleteProject':
      return works.complete(c, s);
    case 'AcceptProject':
      return works.acceptWorks(c, s, p);
    case 'SettleProject':
      return works.settle(c, s, p);
    case 'RecordAuditFinding':
      return closing.recordFinding(c, s);
    case 'RemediateFinding':
      return closing.remediate(c, s);
    case 'VerifyRemediation':
      return closing.verify(c, s);
    case 'HandOverAsset':
      return closing.handOver(c, s);
    case 'CancelProject':
      return closing.cancel(c, s);
    case 'EscalateProject':
      return closing.escalate(c, s);
    default: {
      const _never: never = c;
      return accept();
    }
  }
};

/** The plan's own policy tables. */
export const decide = makeDecide(PLAN_POLICIES);
