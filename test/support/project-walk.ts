import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { readStream } from '../../infra/eventstore';
import { appropriateFund } from '../../services/appropriate-fund';
import { PROJECT_NOTICE_POLICY } from '../../domain/policy/funding';
import { PAYMENT_TEMPLATE_POLICY } from '../../domain/policy/payments';
import * as fund from '../../domain/fund';
import type { Actor } from '../../domain/shared/actor';
import type { Fen } from '../../domain/shared/money';
import type { ProjectCategory } from '../../domain/project/ids';
import type { DeadlineKind, ProposeProject } from '../../domain/project';
import {
  projectFundUpdate,
  projectPayUpdate,
  projectStepUpdate,
  projectWorkflowId,
  type ProjectLifecycleInput,
  type ProjectPayRequest,
  type ProjectStepRequest,
} from '../../workflows/project-lifecycle.messages';
import { projectLifecycle } from '../../workflows/project-lifecycle';
import type { TestStack } from './stack';

/** Test versions of the rule tables: a one-second notice and a warranty that may be zero months. Their ids say they are not the plan's. */
export const TEST_POLICIES: NonNullable<ProjectLifecycleInput['policies']> = {
  notice: { ...PROJECT_NOTICE_POLICY, id: 'project-notice-test', minNoticeSeconds: 1 },
  payments: { ...PAYMENT_TEMPLATE_POLICY, id: 'payment-template-test', warrantyMinMonths: 0 },
};

export const PROPOSER: Actor = { userId: 'li.ming', role: 'county-official', countyId: 'song' };
export const TOWNSHIP: Actor = { userId: 'wang.fang', role: 'township-official', countyId: 'song' };
export const APPROVER: Actor = { userId: 'zhang.wei', role: 'county-official', countyId: 'song' };
export const ACCEPTOR: Actor = { userId: 'liu.yang', role: 'county-official', countyId: 'song' };
export const FINANCE: Actor = { userId: 'qian.li', role: 'county-finance', countyId: 'song' };

export const VILLAGE_RECORD = {
  partyBranchProposedOn: '2016-03-01',
  twoCommitteesDeliberatedOn: '2016-03-03',
  partyMembersReviewedOn: '2016-03-05',
  villagersResolvedOn: '2016-03-08',
  resolutionPublishedOn: '2016-03-10',
  minutesRef: 'song-chezhen-2016-007',
};

export const TARGET = {
  indicators: [{ name: '硬化道路', target: '3', unit: 'km' }],
  beneficiaryPoorHouseholds: 120,
  beneficiaryPoorPeople: 410,
};

let serial = 0;
/**
 * A project id no other test file takes: the id names the workflow in the Temporal namespace every file shares, and
 * each file counts `serial` from 0 (jest loads this module once per file), so two files starting a project in the
 * same millisecond took the same id; the random tail keeps them apart, the time and serial keep one file's ids in order.
 */
export const newProjectId = (county = 'song'): string =>
  `prj-${county}-2016-${Date.now().toString(36)}${(serial++).toString(36).padStart(3, '0')}${randomBytes(2).toString('hex')}`;

export interface StartOptions {
  readonly projectId?: string;
  readonly budget?: Fen;
  readonly category?: ProjectCategory;
  readonly deadlines?: Partial<Record<DeadlineKind, number>>;
  readonly continueAsNewAfterEvents?: number;
  /** The notice's length in place of the test tables' one second: for a spec that takes a step inside the notice. */
  readonly noticeSeconds?: number;
}

export const startProject = async (stack: TestStack, o: StartOptions = {}): Promise<WorkflowHandle<typeof projectLifecycle>> => {
  const projectId = o.projectId ?? newProjectId();
  const data: ProposeProject['data'] = {
    projectId,
    countyId: 'song',
    category: o.category ?? 'transport',
    name: '车村镇通村道路硬化',
    budget: o.budget ?? (105_000_000 as Fen),
    fiscalYear: 2016,
    villageRecord: VILLAGE_RECORD,
    performanceTarget: TARGET,
    subsidyBases: [{ standard: 'village-road-renovation', quantity: 3000 }],
  };
  const input: ProjectLifecycleInput = {
    proposal: { data, actor: PROPOSER },
    correlationId: projectWorkflowId(projectId),
    policies: o.noticeSeconds === undefined ? TEST_POLICIES : { ...TEST_POLICIES, notice: { ...TEST_POLICIES.notice!, minNoticeSeconds: o.noticeSeconds } },
    ...(o.deadlines ? { deadlines: o.deadlines } : {}),
    ...(o.continueAsNewAfterEvents ? { continueAsNewAfterEvents: o.continueAsNewAfterEvents } : {}),
  };
  return stack.client.workflow.start(projectLifecycle, {
    workflowId: projectWorkflowId(projectId),
    taskQueue: stack.taskQueue,
    args: [input],
  });
};

export const step = (h: WorkflowHandle, req: ProjectStepRequest, updateId?: string) => h.executeUpdate(projectStepUpdate, { args: [req], ...(updateId ? { updateId } : {}) });
export const fundFrom = (h: WorkflowHandle, fundId: string, amount: number, actor: Actor = FINANCE) =>
  h.executeUpdate(projectFundUpdate, { args: [{ fundId, amount: amount as Fen, actor }] });
export const pay = (h: WorkflowHandle, req: Omit<ProjectPayRequest, 'actor' | 'amount' | 'use' | 'payee'> & { amount: number; payee?: string; use?: string }, updateId?: string) =>
  h.executeUpdate(projectPayUpdate, {
    args: [{ payee: CONTRACTOR, use: 'road-works', actor: FINANCE, ...req, amount: req.amount as Fen }],
    ...(updateId ? { updateId } : {}),
  });

export const CONTRACTOR = 'payee-song-road-co-01';

/** Proposal → township → county → notice (one second) → library. */
export const toLibrary = async (h: WorkflowHandle): Promise<void> => {
  await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
  await step(h, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' }, actor: APPROVER });
  await step(h, { type: 'PublishNotice', data: {}, actor: APPROVER });
  await enterLibraryAfterNotice(h);
};

export const enterLibraryAfterNotice = async (h: WorkflowHandle): Promise<void> => {
  for (let i = 0; ; i++) {
    try {
      await step(h, { type: 'EnterLibrary', data: {}, actor: APPROVER });
      return;
    } catch (e) {
      if (!(e instanceof WorkflowUpdateFailedError && codeOf(e) === 'PROJECT_NOTICE_RUNNING') || i > 40) throw e;
      await untilNoticeEnds(e);
    }
  }
};

/**
 * Waits out a notice the step was refused for (PROJECT_NOTICE_RUNNING): until the end the refusal
 * names, as the official told "the notice runs until …" would, not asking again every 250 ms (each
 * ask an Update the workflow refuses: a workflow task for the server and the worker).
 */
export const untilNoticeEnds = (e: unknown): Promise<void> => {
  const cause = e instanceof WorkflowUpdateFailedError ? e.cause : undefined;
  const detail = cause instanceof ApplicationFailure ? (cause.details?.[0] as { details?: { endsAt?: unknown } } | undefined) : undefined;
  const endsAt = typeof detail?.details?.endsAt === 'string' ? Date.parse(detail.details.endsAt) : NaN;
  const ms = Number.isNaN(endsAt) ? 250 : Math.min(5_000, Math.max(20, endsAt - Date.now() + 20));
  return new Promise((r) => setTimeout(r, ms));
};

export const startConstruction = (h: WorkflowHandle, contractAmount = 105_000_000) =>
  step(h, {
    type: 'StartConstruction',
    data: { contractId: 'ctr-song-2016-001', contractor: CONTRACTOR, contractAmount: contractAmount as Fen, advanceBp: 3000, retentionBp: 300, warrantyMonths: 0 },
    actor: APPROVER,
  });

/** The domain code of a refused Update (ApplicationFailure type). */
export const codeOf = (e: unknown): string | undefined => (e instanceof WorkflowUpdateFailedError ? ((e.cause as { type?: string } | undefined)?.type ?? undefined) : undefined);

/** Expects the promise to be refused with this code; returns nothing on success. */
export const refusedWith = async (p: Promise<unknown>, code: string): Promise<void> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(codeOf(e)).toBe(code);
};

export const appropriate = async (db: Kysely<Database>, fundId: string, source: fund.FundSource, amount: number, earmark: ProjectCategory[] = ['transport']) => {
  const r = await appropriateFund(db, {
    type: 'AppropriateFund',
    data: { fundId, source, fiscalYear: 2016, countyId: 'song', documentNumber: `豫财农〔2016〕${fundId.slice(-2)}号`, amount: amount as Fen, earmark },
    meta: { actor: FINANCE, now: new Date().toISOString() },
  });
  if (!r.ok) throw new Error(`appropriation refused: ${r.error.code}`);
  return r;
};

export const fundState = async (db: Kysely<Database>, fundId: string) => {
  const events = await readStream(db, `fund-${fundId}`);
  return events.reduce<fund.FundState>((s, e) => fund.evolve(s, { type: e.type, data: e.data } as fund.FundEvent), fund.initialState());
};

export const streamLength = async (db: Kysely<Database>, streamId: string): Promise<number> => (await readStream(db, streamId)).length;

const HISTORIES = path.join(__dirname, '..', 'histories');

/**
 * Saves a finished run's history for the replay test: once, when the file is missing, or again when
 * TUOPIN_SAVE_HISTORIES=1 (after a deliberate, patched() change to the workflow).
 */
export const saveHistory = async (h: WorkflowHandle, name: string): Promise<void> => {
  const file = path.join(HISTORIES, `${name}.json`);
  if (existsSync(file) && process.env.TUOPIN_SAVE_HISTORIES !== '1') return;
  mkdirSync(HISTORIES, { recursive: true });
  const history = await h.fetchHistory();
  writeFileSync(file, JSON.stringify({ workflowId: h.workflowId, history: historyToObject(history) }));
};

/**
 * Histories are kept as the proto's JSON-safe object form (int64 and bytes as strings). The SDK's
 * own historyToJSON/historyFromJSON fail here: @temporalio/common carries a second protobufjs whose
 * protojson rejects the proto package's types ("type must be a Type").
 */
const History = temporal.api.history.v1.History;
export const historyToObject = (h: unknown) => History.toObject(h as temporal.api.history.v1.History, { longs: String, enums: String, bytes: String });
export const historyFromObject = (o: unknown) => History.fromObject(o as Record<string, unknown>);
