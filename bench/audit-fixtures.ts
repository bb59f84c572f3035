import { eventIdFor } from '../infra/eventstore';
import { COUNTY_IDS, type CountyId } from '../domain/reference/counties';
import { PROJECT_CATEGORIES } from '../domain/project/ids';
import type { EventMetadata } from '../infra/eventstore/metadata';
import type { NewEvent, StreamAppend } from '../infra/eventstore/types';

/**
 * Whole project lifecycles as the activities record them (event ids from workflow id + step,
 * metadata with the workflow), for filling a store through the real append API. A bundle is one
 * fund and several of its projects in one multi-stream append; a fund is written by one writer
 * only, so exact expected versions never conflict.
 */

const WAN = 1_000_000;
const AT = '2016-06-01T08:00:00+08:00';
const DAY = '2016-06-01';
const NOTICE = { id: 'project-notice', version: 1 };
const TEMPLATE = { id: 'payment-template', version: 1 };
const NEGATIVE = { id: 'payment-negative-list', version: 1 };

export interface FundSpec {
  readonly fundId: string;
  readonly countyId: CountyId;
  readonly year: number;
  /** Projects drawing on it, each allocated `perProject` fen and paid out in `payments` instalments. */
  readonly projects: number;
  readonly perProject: number;
  readonly payments: number;
}

export const fundStreamId = (fundId: string): string => `fund-${fundId}`;

/** The fund of the audit trail measured: 200 projects × (1 allocation + 24 payments) × 2 streams = 10,000 downstream events. */
export const TRAIL_FUND: FundSpec = { fundId: 'fund-song-2016-bench-trail', countyId: 'song', year: 2016, projects: 200, perProject: 50 * WAN, payments: 24 };

/** A noise fund: county, year and serial spread across the prefecture. */
export const noiseFund = (k: number, projects: number): FundSpec => {
  const countyId = COUNTY_IDS[k % COUNTY_IDS.length]!;
  const year = 2016 + (Math.floor(k / COUNTY_IDS.length) % 5);
  return { fundId: `fund-${countyId}-${year}-n${k.toString(36).padStart(5, '0')}`, countyId, year, projects, perProject: 100 * WAN, payments: 4 };
};

const projectIdOf = (f: FundSpec, p: number): string => `prj-${f.countyId}-${f.year}-${f.fundId.slice(-6).replace(/-/g, '')}${p.toString(36).padStart(3, '0')}`;

const meta = (workflowId: string, countyId: CountyId, userId: string, role: 'county-official' | 'township-official' | 'county-finance', step: string): EventMetadata => ({
  actor: { userId, role, countyId },
  countyId,
  correlationId: workflowId,
  causationId: `${workflowId}:${step}`,
  temporal: { workflowId, runId: '0c2a3b9e-5d1f-4e6a-9b7c-bench0000001', activityId: step },
  businessDate: DAY,
});

/** Splits `total` fen into `n` instalments that add up to the fen: 30% advance, the rest even, retention last. */
const instalments = (total: number, n: number): number[] => {
  if (n === 1) return [total];
  const advance = Math.floor((total * 3) / 10);
  const retention = Math.floor((total * 3) / 100);
  const middle = n - 2;
  const each = Math.floor((total - advance - retention) / middle);
  const out = [advance, ...Array.from({ length: middle }, () => each), retention];
  out[out.length - 2]! += total - out.reduce((a, b) => a + b, 0);
  return out;
};

const milestoneOf = (i: number, n: number): 'advance' | 'progress' | 'settlement' | 'retention' =>
  i === 0 ? 'advance' : i === n - 1 ? 'retention' : i === n - 2 ? 'settlement' : 'progress';

/** One project's own stream and what its fund records for it. */
const projectEvents = (f: FundSpec, p: number): { projectId: string; project: NewEvent[]; fund: NewEvent[] } => {
  const projectId = projectIdOf(f, p);
  const wf = `project-${projectId}`;
  const county = f.countyId;
  const official = `official.${county}.1`;
  const township = `township.${county}.${p % 7}`;
  const finance = `finance.${county}.1`;
  const category = PROJECT_CATEGORIES[p % PROJECT_CATEGORIES.length]!;
  const project: NewEvent[] = [];
  const fund: NewEvent[] = [];
  const on = (type: string, data: Record<string, unknown>, step: string, by = official, role: 'county-official' | 'township-official' | 'county-finance' = 'county-official') =>
    project.push({ eventId: eventIdFor(wf, step), type, data: { projectId, by, at: AT, ...data }, metadata: meta(wf, county, by, role, step) });
  const onFund = (type: string, data: Record<string, unknown>, step: string) =>
    fund.push({
      eventId: eventIdFor(wf, `${step}:fund`),
      type,
      data: { fundId: f.fundId, by: finance, at: AT, ...data },
      metadata: meta(wf, county, finance, 'county-finance', step),
    });

  project.push({
    eventId: eventIdFor(wf, 'propose'),
    type: 'ProjectProposed',
    data: {
      projectId,
      countyId: county,
      category,
      name: `${county}县第${p}号扶贫项目（测量）`,
      budget: f.perProject,
      fiscalYear: f.year,
      villageRecord: {
        partyBranchProposedOn: '2016-03-01',
        twoCommitteesDeliberatedOn: '2016-03-03',
        partyMembersReviewedOn: '2016-03-05',
        villagersResolvedOn: '2016-03-08',
        resolutionPublishedOn: '2016-03-10',
        minutesRef: `${county}-${f.year}-${p}`,
      },
      performanceTarget: { indicators: [{ name: '受益贫困户', target: '120', unit: '户' }], beneficiaryPoorHouseholds: 120, beneficiaryPoorPeople: 410 },
      proposedBy: official,
      proposedAt: AT,
    },
    metadata: meta(wf, county, official, 'county-official', 'propose'),
  });
  on('ProjectTownshipApproved', { opinion: '同意，报县审批' }, 'township', township, 'township-official');
  on('ProjectCountyApproved', { documentNumber: `${county}扶贫〔${f.year}〕${p}号` }, 'county');
  on('ProjectNoticePublished', { endsAt: '2016-06-11T08:00:00+08:00', policy: NOTICE }, 'notice');
  on('ProjectEnteredLibrary', { policy: NOTICE }, 'library');
  const allocationId = `${projectId}:a1`;
  onFund('FundAllocated', { allocationId, projectId, category, amount: f.perProject }, 'fund-1');
  on('ProjectFundingRecorded', { fundId: f.fundId, allocationId, source: 'central', amount: f.perProject }, 'fund-1', finance, 'county-finance');
  on('ProjectFullyFunded', { total: f.perProject }, 'fund-1:full');
  const contractor = `payee-${county}-works-${(p % 20).toString().padStart(2, '0')}`;
  on(
    'ProjectConstructionStarted',
    { contractId: `ctr-${projectId}`, contractor, contractAmount: f.perProject, advanceBp: 3000, retentionBp: 300, warrantyMonths: 12, policy: TEMPLATE },
    'construct',
  );
  instalments(f.perProject, f.payments).forEach((amount, i) => {
    const milestone = milestoneOf(i, f.payments);
    const paymentId = `${projectId}:p${i + 1}`;
    const step = `pay-${i + 1}`;
    onFund('FundDisbursed', { allocationId, projectId, paymentId, milestone, payee: contractor, amount }, step);
    on(
      'ProjectPaymentRecorded',
      { paymentId, fundId: f.fundId, allocationId, milestone, payee: contractor, amount, use: 'road-works', policies: [TEMPLATE, NEGATIVE] },
      step,
      finance,
      'county-finance',
    );
  });
  return { projectId, project, fund };
};

/** The fund's first event. */
export const appropriation = (f: FundSpec): NewEvent => {
  const wf = `fund-${f.fundId}`;
  return {
    eventId: eventIdFor(wf, 'appropriate'),
    type: 'FundAppropriated',
    data: {
      fundId: f.fundId,
      by: `finance.${f.countyId}.1`,
      at: AT,
      source: 'central',
      fiscalYear: f.year,
      countyId: f.countyId,
      documentNumber: `豫财农〔${f.year}〕${f.fundId.slice(-4)}号`,
      amount: f.projects * f.perProject,
      earmark: [...PROJECT_CATEGORIES],
    },
    metadata: withoutWorkflow(meta(wf, f.countyId, `finance.${f.countyId}.1`, 'county-finance', 'appropriate')),
  };
};

/** An appropriation is recorded from the CLI or the API, not by a workflow. */
const withoutWorkflow = ({ temporal: _, ...m }: EventMetadata): EventMetadata => m;

/**
 * Projects [from, to) of a fund in one append: each project's whole stream, and the fund's events
 * for them after `fundVersion` (the appropriation too when the fund is new).
 */
export const bundle = (f: FundSpec, from: number, to: number, fundVersion: number): { appends: StreamAppend[]; events: number; fundEvents: number } => {
  const fundEvents: NewEvent[] = fundVersion === 0 ? [appropriation(f)] : [];
  const appends: StreamAppend[] = [];
  for (let p = from; p < to; p++) {
    const e = projectEvents(f, p);
    fundEvents.push(...e.fund);
    appends.push({ streamId: `project-${e.projectId}`, expectedVersion: 'no-stream', events: e.project });
  }
  appends.unshift({ streamId: fundStreamId(f.fundId), expectedVersion: fundVersion === 0 ? 'no-stream' : fundVersion, events: fundEvents });
  return { appends, events: appends.reduce((n, a) => n + a.events.length, 0), fundEvents: fundEvents.length };
};
