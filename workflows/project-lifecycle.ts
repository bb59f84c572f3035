import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ProjectActivities } from '../activities/project-activities';
import type { FundActivities } from '../activities/fund-activities';
import type { PaymentActivities } from '../activities/payment-activities';
import type { PaymentStepActivities } from '../activities/payment-step';
import type { ProjectState } from '../domain/project';
import { STEP_DATA_SCHEMAS } from '../domain/project/step-schemas';
import type { z } from 'zod';
import {
  projectFundUpdate,
  projectPayUpdate,
  projectStatusQuery,
  projectStepUpdate,
  type ProjectFundRequest,
  type ProjectLifecycleInput,
  type ProjectPayRequest,
  type ProjectStepRequest,
} from './project-lifecycle.messages';
import { pendingDeadline } from './project-deadlines';
import { ProjectProcess } from './project-process';
import { TuopinCategory, TuopinCounty, TuopinCountyName, TuopinFiscalYear } from './search-attributes';
import { COUNTY_NAMES } from '../domain/names/counties';
import { zhOf } from '../domain/names/name';
import { now } from './clock';
import { refusal } from './refusal';
import { railRetry, readRetry, storeRetry } from './retry-policies';

const { appendProjectEvents } = proxyActivities<ProjectActivities>({
  startToCloseTimeout: '30 seconds',
  retry: storeRetry(['DomainRefusal', 'EventStoreInvalid']),
});

// Which tables decide: read from the domain by the worker, which alone knows whether its namespace is configured for simulation.
// The events a process does not hold yet (after an append whose workflow task was lost): read only.
const { projectPolicies, projectEventsAfter } = proxyLocalActivities<ProjectActivities>({ startToCloseTimeout: '10 seconds', retry: readRetry });

// The append as a local activity: within the Update's workflow task, one round trip to the server
// and one workflow task less per step (issue 18). Its event ids are the step's, so a retry, or the
// task run again after a worker died, appends nothing new; a store found ahead is taken in first.
const { appendProjectEvents: appendLocally } = proxyLocalActivities<ProjectActivities>({
  startToCloseTimeout: '30 seconds',
  retry: storeRetry(['DomainRefusal', 'EventStoreInvalid']),
});

const funds = proxyActivities<FundActivities>({
  startToCloseTimeout: '30 seconds',
  retry: storeRetry(['EventStoreInvalid', 'EXPECTED_VERSION_CONFLICT']),
});

// The check before a payment only reads the store: as a local activity it runs within the workflow
// task, one round trip to the server less per payment.
const fundChecks = proxyLocalActivities<FundActivities>({
  startToCloseTimeout: '10 seconds',
  retry: readRetry,
});

// The rail is asked for the status before each submit, so retrying a timed-out payment never pays twice.
const rail = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '15 seconds',
  retry: railRetry,
});

// A payment's check, rail and record in one activity, retried as a whole under the rail's policy (activities/payment-step.ts).
const paymentStep = proxyActivities<PaymentStepActivities>({
  startToCloseTimeout: '15 seconds',
  retry: railRetry,
});

/**
 * One project's project from proposal to closure: the Updates and the query wired to a
 * `ProjectProcess` (workflows/project-project.ts: its state, steps and the four places a payment is
 * decided), and the main loop that waits for the next person under a deadline that escalates and
 * continues as new when the history grows long. The rules are the domain's deciders.
 *
 * Histories of finished runs are replayed on every test run (test/replay-histories.int.spec.ts):
 * any change to the commands this workflow issues must be guarded by patched('<change-id>'). The
 * changes before 'project-changes-marked-once' are marked by that one patch in a new run (ProjectProcess.changed).
 */
export async function projectLifecycle(input: ProjectLifecycleInput): Promise<ProjectState> {
  const project = new ProjectProcess(input, { appendProjectEvents, appendLocally, projectEventsAfter, projectPolicies, funds, fundChecks, rail, paymentStep });
  const projectId = input.proposal.data.projectId;

  setHandler(projectStatusQuery, () => project.status());
  setHandler(
    projectStepUpdate,
    project.once((req: ProjectStepRequest) => project.apply(project.toCommand(req), req.type, req.assertion)),
    {
      validator: (req) => {
        // The step's data is checked here too, not only at the API and CLI: an Update sent straight
        // to Temporal with text the store cannot keep (a lone surrogate, NUL) would otherwise retry its
        // append forever while holding the step lock. Validators do not run on replay.
        const parsed = (STEP_DATA_SCHEMAS as Record<string, z.ZodType | undefined>)[req.type]?.safeParse(req.data);
        if (!parsed?.success) {
          const issue = parsed?.error.issues[0];
          const where = issue ? `data${issue.path.map((k) => `.${String(k)}`).join('')}: ${issue.message}` : `no step ${String(req.type)}`;
          throw refusal({ code: 'STEP_DATA_INVALID', zh: `步骤内容不合规（${where}）`, en: `the step's data is invalid (${where})` });
        }
        project.fromPerson(req);
        project.sameRequestAsFirst(req);
        project.validate(project.toCommand(req));
      },
    },
  );
  setHandler(
    projectFundUpdate,
    project.once((req: ProjectFundRequest) => project.fund(req)),
    {
      validator: (req) => {
        project.fromPerson(req);
        project.sameRequestAsFirst(req);
        project.validate(project.fundingCommand(req, project.allocationIdFor()));
      },
    },
  );
  setHandler(
    projectPayUpdate,
    project.once((req: ProjectPayRequest) => project.pay(req)),
    {
      validator: (req) => {
        project.fromPerson(req);
        project.sameRequestAsFirst(req);
        project.validate(project.paymentCommand(req, project.paymentIdFor()));
      },
    },
  );

  const p = input.proposal.data;
  upsertSearchAttributes([
    { key: TuopinCounty, value: p.countyId },
    { key: TuopinCategory, value: p.category },
    { key: TuopinFiscalYear, value: p.fiscalYear },
    // The county's Chinese name beside its id; histories recorded before it replay without it.
    ...(project.changed('county-name-search-attribute') ? [{ key: TuopinCountyName, value: zhOf(COUNTY_NAMES, p.countyId) }] : []),
  ]);
  await project.takePolicies(now().slice(0, 10));
  if (input.resume === undefined) await project.apply({ type: 'ProposeProject', data: p, meta: { actor: input.proposal.actor, now: now() } }, 'proposal', input.proposal.assertion);
  else project.stageAttribute();

  const historyFull = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (input.continueAsNewAfterEvents !== undefined && info.historyLength >= input.continueAsNewAfterEvents);
  };

  // A Temporal cancel request does not end a project: it may hold fund money that only a county
  // official's CancelProject releases (and records why). The project ends in a domain end state.
  CancellationScope.current().cancelRequested.catch(() =>
    log.warn('cancel request ignored: a project ends by its own steps (tuopin project cancel releases its allocations)', { projectId, stage: project.state.status }),
  );
  await CancellationScope.nonCancellable(() => untilAtRest());
  project.deadlineAt = undefined;
  return project.state;

  async function untilAtRest(): Promise<void> {
    while (!project.atRest) {
      if (historyFull() && !project.steps.busy) {
        // Updates in flight finish in this run; the next one starts from the state they leave.
        await condition(() => !project.steps.busy && allHandlersFinished());
        if (!project.atRest) {
          log.info('continuing as new', { projectId, historyLength: workflowInfo().historyLength, runs: project.runs });
          await continueAsNew<typeof projectLifecycle>({ ...input, resume: project.resume() });
        }
        break;
      }
      const seen = project.progress;
      const moved = () => project.progress !== seen || project.atRest || (historyFull() && !project.steps.busy);
      const due = pendingDeadline(project.state, input.deadlines, Date.now());
      if (!due) {
        project.deadlineAt = undefined;
        await condition(moved);
        continue;
      }
      project.deadlineAt = new Date(Date.now() + due.ms).toISOString();
      if (await condition(moved, due.ms)) continue;
      await project.escalate(due.level, due.kind, seen);
    }
    await condition(allHandlersFinished);
  }
}
