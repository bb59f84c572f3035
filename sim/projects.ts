import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ProposeProject } from '../domain/project';
import { countyById } from '../domain/reference/counties';
import type { Actor } from '../domain/shared/actor';
import type { Fen } from '../domain/shared/money';
import { scaledMs, scaledProjectPolicies } from '../domain/policy/time-scale';
import type { ExpenditureKind } from '../domain/policy/expenditure-kinds';
import { startProposal } from '../services/project-proposals';
import { sendFundingUpdate, sendPaymentUpdate, sendStep } from '../services/project-updates';
import { queryLive } from '../services/workflow-unavailable';
import { ProcessUnavailable, UpdateRefused } from '../services/errors';
import { projectStatusQuery, projectWorkflowId, type ProjectStepRequest } from '../workflows/project-lifecycle.messages';
import { castOf } from './cast';
import { count, sleep, type SimContext } from './context';
import type { ProjectPlan } from './plan';

/**
 * One project of the plan from proposal to closure, every step by the person whose step it is,
 * through the services the API uses (Updates, refusals recorded). Request ids are derived from the
 * project and the step, so a resumed run repeats a step it had taken and is answered, not applied.
 * `settled` resolves once the settlement is paid; the warranty, the retention and the handover run
 * on while the next year begins.
 */
export interface ProjectRun {
  readonly settled: Promise<void>;
  readonly closed: Promise<void>;
}

const villageRecord = (year: number, ref: string) => ({
  partyBranchProposedOn: `${year - 1}-11-02`,
  twoCommitteesDeliberatedOn: `${year - 1}-11-06`,
  partyMembersReviewedOn: `${year - 1}-11-10`,
  villagersResolvedOn: `${year - 1}-11-15`,
  resolutionPublishedOn: `${year - 1}-11-18`,
  minutesRef: ref,
});

/** What the works are paid as (支出用途), by category: an enumerated kind, never free text. */
const USE: Partial<Record<ProjectPlan['category'], ExpenditureKind>> = {
  transport: 'road-works',
  water: 'water-works',
  education: 'building-works',
  health: 'building-works',
  culture: 'building-works',
  'housing-renovation': 'building-works',
  relocation: 'building-works',
  'power-telecom': 'power-and-network-works',
  'land-environment': 'land-and-ecology-works',
  ecology: 'land-and-ecology-works',
  industry: 'production-equipment',
  'transfer-employment': 'training',
};

export const runProject = (x: SimContext, p: ProjectPlan): ProjectRun => {
  let markSettled!: () => void;
  const settled = new Promise<void>((r) => (markSettled = r));
  const closed = drive(x, p, () => markSettled());
  // A failure before settlement must surface through `settled` too, not leave its waiter hanging.
  return { settled: Promise.race([settled, closed]), closed };
};

const drive = async (x: SimContext, p: ProjectPlan, onSettled: () => void): Promise<void> => {
  const cast = castOf(p.countyId);
  const id = p.projectId;
  const rid = (step: string) => `sim:${id}:${step}`;
  const step = async (request: ProjectStepRequest, name: string) => {
    x.tally.updates += 1;
    return sendStep(x.client, id, request, rid(name), x.db);
  };
  /** A step the rules must refuse: counted, and the run fails if it was taken. */
  const refused = async (what: () => Promise<unknown>, trouble: string) => {
    x.tally.updates += 1;
    try {
      await what();
    } catch (e) {
      if (!(e instanceof UpdateRefused)) throw e;
      count(x.tally.refusals, e.failureCode);
      count(x.tally.troubles, trouble);
      return e;
    }
    throw new Error(`${id}: ${trouble} was not refused`);
  };
  /** Sleeps until the step may be taken (the notice period, the warranty), as the workflow says. */
  const untilAllowed = async () => {
    const s = await queryLive(x.client, projectWorkflowId(id), projectStatusQuery).catch((e: unknown) => (e instanceof ProcessUnavailable ? null : Promise.reject(e)));
    if (!s) return untilAllowed();
    const notBefore = s?.nextActor?.notBefore;
    if (notBefore) await sleep(Math.max(0, Date.parse(notBefore) - Date.now()) + 150);
  };
  const withRetry = async <T>(what: () => Promise<T>, code: string): Promise<T> => {
    for (let i = 0; ; i++) {
      try {
        return await what();
      } catch (e) {
        if (!(e instanceof UpdateRefused && e.failureCode === code) || i >= 20) throw e;
        await sleep(300);
      }
    }
  };

  const village = x.plan.counties.find((c) => c.countyId === p.countyId)!.registry.households.filter((h) => h.villageId === p.villageId);
  const command: ProposeProject = {
    type: 'ProposeProject',
    data: {
      projectId: id,
      countyId: p.countyId,
      category: p.category,
      name: p.name,
      budget: p.budget,
      fiscalYear: p.year,
      villageRecord: villageRecord(p.year, `${p.villageId}-${p.year}-minutes`),
      performanceTarget: {
        indicators: [{ name: p.itemZh, target: '1', unit: '项' }],
        beneficiaryPoorHouseholds: Math.max(1, village.length),
        beneficiaryPoorPeople: Math.max(
          1,
          village.reduce((s, h) => s + h.members.length, 0),
        ),
      },
      ...(p.subsidyBases ? { subsidyBases: p.subsidyBases.map((b) => ({ ...b })) } : {}),
    },
    meta: { actor: cast.proposer, now: new Date().toISOString() },
  };
  // Resumed: a project whose process has ended is done.
  const earlier = await x.client.workflow
    .getHandle(projectWorkflowId(id))
    .describe()
    .catch(() => null);
  if (earlier && earlier.status.name !== 'RUNNING') {
    onSettled();
    return;
  }
  try {
    x.tally.updates += 1;
    await startProposal(x.client, command, x.cfg.TEMPORAL_TASK_QUEUE, {
      policies: scaledProjectPolicies(x.time),
      // The township's review is due within 10 days; the one project the plan makes late is escalated.
      ...(p.trouble === 'late-review' ? { deadlines: { 'township-review': scaledMs(x.time, 10) } } : {}),
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e; // resumed: its steps are answered again
  }
  const docNo = `${countyById(p.countyId).zh.slice(0, 1)}扶贫〔${p.year}〕${id.slice(-3)}号`;

  if (p.trouble === 'self-review') {
    const asTownship: Actor = { userId: cast.proposer.userId, role: 'township-official', countyId: p.countyId };
    await refused(() => sendStep(x.client, id, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: asTownship }, rid('self-review'), x.db), 'self-review');
  }
  if (p.trouble === 'late-review') {
    await sleep(scaledMs(x.time, 25));
    count(x.tally.troubles, 'late-review');
  }
  await step({ type: 'ApproveAtTownship', data: { opinion: '同意，报县审批' }, actor: cast.township }, 'township');
  await step({ type: 'ApproveAtCounty', data: { documentNumber: docNo }, actor: cast.approver }, 'county');
  await step({ type: 'PublishNotice', data: {}, actor: cast.approver }, 'notice');
  if (p.trouble === 'objection') {
    await step({ type: 'RaiseObjection', data: { objectionId: `obj-${id.slice(-7)}`, summary: '村民反映选址占用基本农田，要求调整' }, actor: cast.township }, 'objection');
    count(x.tally.troubles, 'objection');
    await step({ type: 'ApproveAtCounty', data: { documentNumber: `${docNo}（调整后）` }, actor: cast.approver }, 'county-again');
    await step({ type: 'PublishNotice', data: {}, actor: cast.approver }, 'notice-again');
  }
  await untilAllowed();
  await withRetry(() => step({ type: 'EnterLibrary', data: {}, actor: cast.approver }, 'library'), 'PROJECT_NOTICE_RUNNING');

  const allocations: string[] = [];
  for (const [i, part] of p.funding.entries()) {
    x.tally.updates += 1;
    const r = await sendFundingUpdate(x.client, id, { fundId: part.fundId, amount: part.amount, actor: cast.finance }, rid(`fund-${i}`), x.db);
    allocations.push(r.allocationId);
  }
  const contractor = `contractor-${id}`;
  await step(
    {
      type: 'StartConstruction',
      data: { contractId: `ctr-${id}`, contractor, contractAmount: p.contract, advanceBp: 3_000, retentionBp: 300, warrantyMonths: 12 },
      actor: cast.approver,
    },
    'construction',
  );
  const pay = async (milestone: ProjectPlan['payments'][number], tag: string, payee = contractor, milestoneId?: string) => {
    for (const [i, amount] of milestone.parts.entries()) {
      x.tally.updates += 1;
      await sendPaymentUpdate(
        x.client,
        id,
        {
          fundId: p.funding[i]!.fundId,
          allocationId: allocations[i]!,
          milestone: milestone.milestone,
          ...(milestoneId ? { milestoneId } : {}),
          payee,
          amount: amount as Fen,
          use: USE[p.category] ?? 'other-works',
          actor: cast.finance,
        },
        rid(`${tag}-${i}`),
        x.db,
      );
    }
  };
  const [advance, progress, settlement, retention] = p.payments as [
    ProjectPlan['payments'][number],
    ProjectPlan['payments'][number],
    ProjectPlan['payments'][number],
    ProjectPlan['payments'][number],
  ];
  if (p.trouble === 'early-settlement') {
    await refused(
      () =>
        sendPaymentUpdate(
          x.client,
          id,
          {
            fundId: p.funding[0]!.fundId,
            allocationId: allocations[0]!,
            milestone: 'settlement',
            payee: contractor,
            amount: settlement.parts[0]!,
            use: USE[p.category] ?? 'other-works',
            actor: cast.finance,
          },
          rid('early-settlement'),
          x.db,
        ),
      'early-settlement',
    );
  }
  if (p.trouble === 'transfer-rejected') {
    // The treasury returns the transfer (the contractor's account was closed); once the contractor's bank reopens it, finance pays again.
    await refused(() => pay(advance, 'advance-returned'), 'transfer-rejected');
  }
  await pay(advance, 'advance');
  await step({ type: 'ReportMilestone', data: { milestoneId: 'ms-60', percentCompleteBp: 6_000, description: '完成工程量60%' }, actor: cast.township }, 'ms-60');
  await pay(progress, 'progress', contractor, 'ms-60');
  await step({ type: 'ReportMilestone', data: { milestoneId: 'ms-100', percentCompleteBp: 10_000, description: '全部完工' }, actor: cast.township }, 'ms-100');
  await step({ type: 'CompleteProject', data: {}, actor: cast.approver }, 'complete');
  await step({ type: 'AcceptProject', data: {}, actor: cast.acceptor }, 'accept');
  await step({ type: 'SettleProject', data: { settlementAmount: p.contract }, actor: cast.approver }, 'settle');
  await pay(settlement, 'settlement');
  onSettled();

  if (p.trouble === 'audit-finding') {
    const findingId = `fnd-${id.slice(-7)}`;
    await step({ type: 'RecordAuditFinding', data: { findingId, summary: '部分工程量计量不实，核减后重新结算' }, actor: cast.auditor }, 'finding');
    await step({ type: 'RemediateFinding', data: { findingId, remediation: '已重新计量并收回多计部分' }, actor: cast.approver }, 'remediate');
    await step({ type: 'VerifyRemediation', data: { findingId }, actor: cast.auditor }, 'verify');
    count(x.tally.troubles, 'audit-finding');
  }
  await untilAllowed();
  await withRetry(() => pay(retention, 'retention'), 'PAYMENT_RETENTION_BEFORE_WARRANTY_END');
  await untilAllowed();
  await step(
    {
      type: 'HandOverAsset',
      data: { assetKind: p.category === 'industry' ? 'business' : 'public-benefit', recipient: p.villageId, resultPublishedOn: new Date().toISOString().slice(0, 10) },
      actor: cast.approver,
    },
    'handover',
  );
};
