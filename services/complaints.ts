import { createHash, randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { eventIdFor, readStream, readStreams } from '../infra/eventstore';
import type { Actor } from '../domain/shared/actor';
import { COMPLAINT_POLICY } from '../domain/policy/complaints';
import {
  evolveComplaint,
  initialComplaint,
  PUBLIC_INTAKE_USER,
  type ComplaintCategory,
  type ComplaintChannel,
  type ComplaintEvent,
  type ComplaintState,
  type ComplaintSubject,
} from '../domain/complaint';
import { applyComplaint, complaintStream, complaintSubjectView } from '../activities/complaint-activities';
import { complaintCase } from '../workflows/complaint-case';
import { complaintAnswerUpdate, complaintStatusQuery, complaintWorkflowId, type ComplaintAnswerRequest, type ComplaintCaseStatus } from '../workflows/complaint-case.messages';
import { noticeSeconds, queryStatus, sendUpdate, startOnce } from './exit-workflows';
import { UpdateRefused } from './errors';
import { complaintErrors } from '../domain/complaint/decide';
import type { CountyId } from '../domain/reference/counties';

/**
 * Complaints (申诉、投诉举报), the same for the CLI and the API: filing (an official recording a
 * 12317 call, a visit or a letter; or the public form, under the intake's id), the answer, and the
 * list inspectors and the county read, folded from the complaints' streams.
 */

/** The public form's actor: the intake, never a person (no token is issued for a system id). */
export const PUBLIC_INTAKE: Actor = { userId: PUBLIC_INTAKE_USER, role: 'administrator' };

export interface FileComplaintInput {
  readonly subject: ComplaintSubject;
  readonly channel: ComplaintChannel;
  readonly category: ComplaintCategory;
  readonly summary: string;
  readonly actor: Actor;
  readonly now: string;
}

export interface FiledComplaint {
  readonly complaintId: string;
  readonly countyId: string;
  readonly answerBy: string;
  readonly workflowId: string;
  readonly duplicate: boolean;
}

/** The policy's days in seconds of the caller's day (86,400 s in production; a test's shorter day). */
export const complaintRules = (daySeconds?: number) => ({
  answerSeconds: noticeSeconds(COMPLAINT_POLICY.answerDays.value, daySeconds),
  escalationSeconds: noticeSeconds(COMPLAINT_POLICY.escalationDays.value, daySeconds),
});

/**
 * Files the complaint on its own stream and starts its case (the answer deadline and escalations).
 * The id is drawn here (cp-<county>-<date><random>); with a request id the same request files once.
 */
export const fileComplaint = async (
  db: Kysely<Database>,
  client: Client,
  taskQueue: string,
  input: FileComplaintInput,
  opts: { readonly daySeconds?: number; readonly requestId?: string } = {},
): Promise<FiledComplaint> => {
  const view = await complaintSubjectView(db, input.subject);
  if (!view) throw new UpdateRefused(complaintErrors.subjectUnknown());
  const serial = opts.requestId
    ? createHash('sha256').update(`${input.actor.userId}:${opts.requestId}`).digest('hex').slice(0, 16)
    : `${input.now.slice(0, 10).replace(/-/g, '')}${randomBytes(8).toString('hex')}`;
  const complaintId = `cp-${view.countyId}-${serial}`;
  const rules = complaintRules(opts.daySeconds);
  const r = await applyComplaint(
    db,
    complaintId,
    {
      type: 'FileComplaint',
      data: { complaintId, subject: input.subject, channel: input.channel, category: input.category, summary: input.summary },
      meta: { actor: input.actor, now: input.now },
    },
    rules,
    { eventId: (i) => eventIdFor(`complaint:${complaintId}`, 'file', i), countyId: view.countyId, correlationId: `complaint:${complaintId}` },
  );
  if (!r.ok) throw new UpdateRefused(r.error);
  if (r.state.status === 'none') throw new Error(`complaint ${complaintId}: filed but not open`);
  const workflowId = complaintWorkflowId(complaintId);
  await startOnce(
    client,
    complaintCase,
    {
      taskQueue,
      workflowId,
      args: [{ complaintId, countyId: view.countyId, answerBy: r.state.answerBy, escalationSeconds: rules.escalationSeconds, correlationId: `complaint:${complaintId}` }],
    },
    `file:${complaintId}`,
  );
  return { complaintId, countyId: view.countyId, answerBy: r.state.answerBy, workflowId, duplicate: r.duplicate };
};

export const answerComplaint = (client: Client, complaintId: string, request: ComplaintAnswerRequest, requestId?: string): Promise<ComplaintCaseStatus> =>
  sendUpdate(client, complaintWorkflowId(complaintId), complaintAnswerUpdate, request, requestId);

export const complaintCaseStatus = (client: Client, complaintId: string): Promise<ComplaintCaseStatus | null> =>
  queryStatus(client, complaintWorkflowId(complaintId), complaintStatusQuery);

export type ComplaintView = Exclude<ComplaintState, { status: 'none' }> & { readonly overdue: boolean };

/**
 * Complaints as the store has them, newest first: a county's (a county-scoped reader's own), or
 * every county's; only the open ones when asked. Folded from the complaints' streams, found by the
 * stream category; a county's complaints are few (12317 takes hundreds a year in a county).
 */
export const listComplaints = async (
  db: Kysely<Database>,
  filter: { readonly countyId?: CountyId; readonly open?: boolean; readonly now: string },
  limit = 500,
): Promise<{ items: ComplaintView[]; truncated: boolean }> => {
  const { rows } = await sql<{ stream_id: string }>`
    SELECT DISTINCT stream_id FROM events
     WHERE category = 'complaint' ${filter.countyId ? sql`AND metadata->>'countyId' = ${filter.countyId}` : sql``}`.execute(db);
  const states = new Map<string, ComplaintState>();
  for (const e of await readStreams(
    db,
    rows.map((r) => r.stream_id),
  ))
    states.set(e.streamId, evolveComplaint(states.get(e.streamId) ?? initialComplaint(), { type: e.type, data: e.data } as ComplaintEvent));
  const all = [...states.values()]
    .filter((s): s is Exclude<ComplaintState, { status: 'none' }> => s.status !== 'none')
    .filter((s) => !filter.open || s.status === 'open')
    .map((s) => ({ ...s, overdue: s.status === 'open' && Date.parse(s.answerBy) < Date.parse(filter.now) }))
    .sort((a, b) => b.filedAt.localeCompare(a.filedAt));
  return { items: all.slice(0, limit), truncated: all.length > limit };
};

export type PublicComplaintStatus = Pick<
  ComplaintView & Partial<Pick<Extract<ComplaintState, { status: 'answered' }>, 'finding' | 'answer' | 'answeredAt' | 'late'>>,
  'complaintId' | 'status' | 'countyId' | 'category' | 'filedAt' | 'answerBy' | 'escalation' | 'overdue' | 'finding' | 'answer' | 'answeredAt' | 'late'
>;

/**
 * What the person who filed a complaint may look up with its id: where it stands, when the answer is
 * due, whether it was escalated, and the county's answer. The complaint's text, subject and filer are
 * left out: the id is all the caller shows, and whoever holds it may not be the one who filed.
 */
export const publicComplaintStatus = async (db: Kysely<Database>, complaintId: string, now: string): Promise<PublicComplaintStatus | null> => {
  const c = await complaintView(db, complaintId, now);
  if (!c) return null;
  const base = {
    complaintId: c.complaintId,
    status: c.status,
    countyId: c.countyId,
    category: c.category,
    filedAt: c.filedAt,
    answerBy: c.answerBy,
    escalation: c.escalation,
    overdue: c.overdue,
  };
  return c.status === 'answered' ? { ...base, finding: c.finding, answer: c.answer, answeredAt: c.answeredAt, late: c.late } : base;
};

/** One complaint, or null. */
export const complaintView = async (db: Kysely<Database>, complaintId: string, now: string): Promise<ComplaintView | null> => {
  const events = await readStream(db, complaintStream(complaintId));
  const s = events.reduce<ComplaintState>((acc, e) => evolveComplaint(acc, { type: e.type, data: e.data } as ComplaintEvent), initialComplaint());
  return s.status === 'none' ? null : { ...s, overdue: s.status === 'open' && Date.parse(s.answerBy) < Date.parse(now) };
};
