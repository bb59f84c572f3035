import { writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { fundIdSchema } from '../../domain/fund/ids';
import { projectIdSchema } from '../../domain/project/ids';
import { householdIdSchema } from '../../domain/household/ids';
import { paymentIdSchema } from '../../domain/payment/ids';
import { benefitRoundIdSchema } from '../../domain/benefit/ids';
import { auditTrail, wholeTrailCsv, type AuditEntry } from '../../services/audit-trail';
import { usageRefusal, parseFlags, takeSwitch, inputRefusal, ruleRefusal } from '../args';
import { renderTable, writeRows, type Column } from '../table';
import { auditLedger, ledgerCsv, ledgerTable } from '../../services/audit-ledger';
import { ledgerXlsx } from '../../services/audit-ledger-xlsx';
import { withYuan } from '../../domain/shared/money';
import { EVENT_NAMES, ROLE_NAMES, zhOf } from '../../domain/names';

type Out = (line?: string) => void;

/** Each kind's id is checked by its own schema, so a fund's trail cannot be asked for with a project's id. */
const ID_SCHEMAS = {
  fund: fundIdSchema,
  project: projectIdSchema,
  household: householdIdSchema,
  // A project's payment or a benefit round's payment to a household.
  payment: z.union([paymentIdSchema, z.string().regex(/^br-[a-z]+-\d{4}-[a-z0-9-]{2,60}:hh-[a-z]+-[a-z0-9]{1,32}$/)], {
    error: 'must look like <project id>:p<n> or <round id>:<household id>',
  }),
  round: benefitRoundIdSchema,
} as const;
type Kind = keyof typeof ID_SCHEMAS;
const KIND_ZH: Readonly<Record<Kind, string>> = { fund: '资金', project: '项目', household: '农户', payment: '支付', round: '发放批次' };

type Data = { amount?: unknown; payee?: unknown; householdId?: unknown; projectId?: unknown; fundId?: unknown };
const dataOf = (e: AuditEntry): Data => (typeof e.data === 'object' && e.data !== null ? (e.data as Data) : {});

const AUDIT_COLUMNS: readonly Column<AuditEntry>[] = [
  { key: 'position', header: '库位置 position', value: (e) => e.position, kind: 'number' },
  { key: 'type', header: '事项 event', value: (e) => `${zhOf(EVENT_NAMES, e.type)} ${e.type}` },
  // Amounts as recorded on the event; a refusal's amount was never moved (the ledger, --ledger, sums movements only).
  { key: 'amount', header: '金额 amount', value: (e) => (typeof dataOf(e).amount === 'number' ? (dataOf(e).amount as number) : null), kind: 'money' },
  { key: 'project', header: '项目 project', value: (e) => (typeof dataOf(e).projectId === 'string' ? (dataOf(e).projectId as string) : '') },
  {
    key: 'payee',
    header: '收款方/农户 payee',
    value: (e) => [dataOf(e).payee, dataOf(e).householdId].filter((v): v is string => typeof v === 'string').join(' / '),
  },
  { key: 'userId', header: '办理人 actor', value: (e) => e.userId },
  { key: 'role', header: '角色 role', value: (e) => zhOf(ROLE_NAMES, e.role) },
  { key: 'businessDate', header: '业务日期 business date', value: (e) => e.businessDate },
  { key: 'recordedAt', header: '记录时间 recorded', value: (e) => e.recordedAt },
  { key: 'proof', header: '存证 chain', value: (e) => (e.proof.status === 'verified' ? 'ok' : `断链 BROKEN (${e.proof.reason ?? 'hash'})`) },
];

/**
 * `tuopin audit <kind> <id> [--csv <file>] [--json]`: the trail GET /audit/:kind/:id serves, from the
 * same service: every event touching the thing in commit order, each with its hash-chain proof.
 * Exits 3 when any link is broken, as `tuopin verify` does.
 */
export const runAudit = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest: r1 } = takeSwitch(argv, 'json');
  const { on: ledger, rest } = takeSwitch(r1, 'ledger');
  const [kind, id, ...flags] = rest;
  if (!kind || !id || !(kind in ID_SCHEMAS)) throw usageRefusal('tuopin audit');
  const checked = ID_SCHEMAS[kind as Kind].safeParse(id);
  if (!checked.success) throw inputRefusal(checked.error, `<${kind} id>`);
  if (ledger) return runLedger(kind, checked.data, flags, json, db, out);
  const f = parseFlags(flags, z.object({ csv: z.string().min(1).optional() }).strict());
  const entries = await auditTrail(db, kind as Kind, checked.data);
  if (entries.length === 0) throw ruleRefusal({ code: 'NOT_FOUND', en: `no events touch ${kind} ${checked.data}`, zh: `没有涉及${KIND_ZH[kind as Kind]} ${checked.data} 的事件` });
  const verified = entries.every((e) => e.proof.status === 'verified');
  // Written as the API serves it (rendered by PostgreSQL, page after page), not rendered again here.
  if (f.csv) await pipeline(Readable.from(wholeTrailCsv(db, kind as Kind, checked.data)), createWriteStream(f.csv));
  if (json) out(JSON.stringify({ kind, id: checked.data, verified, entries }, null, 2));
  else {
    writeRows(out, entries, AUDIT_COLUMNS);
    out(`${entries.length} event(s); ${verified ? 'every hash chain verifies' : 'a hash chain is BROKEN'}${f.csv ? `; CSV written to ${f.csv}` : ''}`);
  }
  if (!verified) process.exitCode = 3;
};

/**
 * `tuopin audit <fund|project> <id> --ledger [--csv <file>] [--xlsx <file>] [--json]`: the auditor's
 * ledger GET /audit/:kind/:id/ledger serves: the money movements under zh headers, refusals apart,
 * totals checked against the fund's books. Exits 3 when a chain is broken or a sum does not reconcile.
 */
const runLedger = async (kind: string, id: string, flags: string[], json: boolean, db: Kysely<Database>, out: Out): Promise<void> => {
  if (kind !== 'fund' && kind !== 'project')
    throw ruleRefusal({
      code: 'CLI_USAGE',
      en: `a ledger is a fund's or a project's, not a ${kind}'s: tuopin audit <fund|project> <id> --ledger`,
      zh: `台账只针对资金或项目，不针对${KIND_ZH[kind as Kind]}：tuopin audit <fund|project> <id> --ledger`,
    });
  const f = parseFlags(flags, z.object({ csv: z.string().min(1).optional(), xlsx: z.string().min(1).optional() }).strict());
  const l = await auditLedger(db, kind, id);
  if (!l) throw ruleRefusal({ code: 'NOT_FOUND', en: `no events touch ${kind} ${id}`, zh: `没有涉及${KIND_ZH[kind]} ${id} 的事件` });
  if (f.csv) await writeFile(f.csv, ledgerCsv(l), 'utf8');
  if (f.xlsx) await writeFile(f.xlsx, await ledgerXlsx(l));
  if (json) out(JSON.stringify(withYuan(l), null, 2));
  else {
    const t = ledgerTable(l);
    for (const line of renderTable(
      t.rows,
      t.header.map((h, i) => ({ key: String(i), header: h, value: (r: readonly string[]) => r[i] ?? '', kind: i === 2 ? ('number' as const) : ('text' as const) })),
    ))
      out(line);
    if (t.refusals.length > 0) {
      out('');
      out(`拒绝记录 refusals (${t.refusals.length}; nothing moved)`);
      for (const r of t.refusals) out(`  ${r[0]}  ${r[1]}  ${r[6]}`);
    }
    out('');
    for (const [label, value] of t.totals) out(`${label}\t${value}`);
    const files = [f.csv && `CSV written to ${f.csv}`, f.xlsx && `xlsx written to ${f.xlsx}`].filter(Boolean).join('; ');
    if (files) out(files);
  }
  if (!l.verified || !l.reconciled) process.exitCode = 3;
};
