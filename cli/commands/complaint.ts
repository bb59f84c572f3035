import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import type { Database } from '../../infra/database';
import { complaintSubjectSchema } from '../../domain/complaint/events';
import { COMPLAINT_CATEGORIES, COMPLAINT_FINDINGS, complaintIdSchema } from '../../domain/complaint/ids';
import { countyNameSchema } from '../../domain/reference/counties';
import { COMPLAINT_PHASE_NAMES, zhOf } from '../../domain/names';
import type { ComplaintCaseStatus } from '../../workflows/complaint-case.messages';
import { answerComplaint, complaintView, fileComplaint, listComplaints } from '../../services/complaints';
import { usageRefusal, parseFlags, takeSwitch, inputRefusal } from '../args';
import { writeRows } from '../table';
import { actorFlags, actorFrom, jsonArg, permit, printStatus, provedBy } from './exit-actor';
import { asCliRefusal } from './service-refusal';

type Out = (line?: string) => void;

const ESCALATION_ZH = { county: '县级督办', city: '市级督办' } as const;

/** A complaint taken in: the English scripts read, then the Chinese. */
export const complaintRecordedLine = (r: { readonly duplicate: boolean; readonly complaintId: string; readonly answerBy: string }): string =>
  `${r.duplicate ? 'already recorded' : 'recorded'} ${r.complaintId}; the answer is due by ${r.answerBy} ${r.duplicate ? '此前已受理' : '已受理'}，答复期限 ${r.answerBy}`;

/** Where an answer left the complaint: "cmp-…: answered (已答复), after the county's escalation（县级督办后）". */
export const complaintAnsweredLine = (complaintId: string, r: Pick<ComplaintCaseStatus, 'phase' | 'escalation'>): string =>
  `${complaintId}: ${r.phase} (${zhOf(COMPLAINT_PHASE_NAMES, r.phase)})${r.escalation ? `, after the ${r.escalation}'s escalation（${ESCALATION_ZH[r.escalation]}后）` : ''}`;

/** `tuopin complaint record|answer|list|show`: the 12317 desk's and the county's commands (the public form is the API's). */
export const runComplaint = async (verb: string | undefined, argv: string[], db: Kysely<Database>, client: () => Promise<Client>, cfg: Config, out: Out): Promise<void> => {
  const now = new Date().toISOString();
  if (verb === 'record') {
    const f = parseFlags(
      argv,
      z
        .object({
          ...actorFlags,
          subject: z.string(),
          channel: z.enum(['hotline-12317', 'visit', 'letter']).default('hotline-12317'),
          category: z.enum(COMPLAINT_CATEGORIES),
          summary: z.string().trim().min(1).max(2000),
          'request-id': z.string().optional(),
        })
        .strict(),
    );
    const subject = complaintSubjectSchema.safeParse(await jsonArg('subject', f.subject));
    if (!subject.success) throw inputRefusal(subject.error, 'subject');
    const actor = actorFrom(f);
    if (actor.countyId) permit(actor, 'complaint.record', actor.countyId);
    const r = await fileComplaint(
      db,
      await client(),
      cfg.TEMPORAL_TASK_QUEUE,
      { subject: subject.data, channel: f.channel, category: f.category, summary: f.summary, actor, now },
      f['request-id'] ? { requestId: f['request-id'] } : {},
    ).catch(asCliRefusal);
    out(complaintRecordedLine(r));
    return;
  }
  if (verb === 'answer') {
    const f = parseFlags(
      argv,
      z
        .object({
          ...actorFlags,
          complaint: complaintIdSchema,
          finding: z.enum(COMPLAINT_FINDINGS),
          answer: z.string().trim().min(1).max(2000),
          'request-id': z.string().optional(),
        })
        .strict(),
    );
    const actor = actorFrom(f);
    permit(actor, 'complaint.answer', f.complaint.split('-')[1]!);
    const r = await answerComplaint(await client(), f.complaint, { actor, ...(await provedBy(cfg, actor)), finding: f.finding, answer: f.answer }, f['request-id']).catch(
      asCliRefusal,
    );
    out(complaintAnsweredLine(f.complaint, r));
    return;
  }
  if (verb === 'list') {
    const { on: json, rest } = takeSwitch(argv, 'json');
    const { on: open, rest: rest2 } = takeSwitch(rest, 'open');
    const f = parseFlags(rest2, z.object({ county: countyNameSchema.optional() }).strict());
    const l = await listComplaints(db, { ...(f.county ? { countyId: f.county } : {}), open, now });
    writeRows(
      out,
      l.items,
      [
        { key: 'complaintId', header: '编号', value: (c) => c.complaintId },
        { key: 'filedAt', header: '受理时间', value: (c) => c.filedAt.slice(0, 16) },
        { key: 'channel', header: '渠道', value: (c) => c.channel },
        { key: 'subject', header: '对象', value: (c) => c.paymentId ?? c.roundId ?? c.householdId ?? '' },
        { key: 'status', header: '状态', value: (c) => (c.status === 'answered' ? `已答复${c.late ? '（逾期）' : ''}` : c.overdue ? '逾期未答复' : '待答复') },
        { key: 'escalation', header: '督办', value: (c) => (c.escalation ? ESCALATION_ZH[c.escalation] : '') },
        { key: 'answerBy', header: '答复期限', value: (c) => c.answerBy.slice(0, 16) },
      ],
      { json },
    );
    if (!json && l.truncated) out('(more: narrow with --county or --open)（还有更多：用 --county 或 --open 缩小范围）');
    return;
  }
  if (verb === 'show') {
    const id = complaintIdSchema.safeParse(argv[0]);
    if (!id.success) throw inputRefusal(id.error, '<complaint id>');
    printStatus(out, { en: `complaint ${id.data}`, zh: `投诉举报 ${id.data}` }, await complaintView(db, id.data, now));
    return;
  }
  throw usageRefusal('tuopin complaint');
};
