import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { auditTrail, type AuditEntry } from './audit-trail';
import { evolveAll, initialState, type FundEvent } from '../domain/fund';
import { formatYuan } from '../domain/shared/money';
import { EVENT_NAMES, FUND_SOURCE_NAMES, MILESTONE_NAMES, ROLE_NAMES, zhOf } from '../domain/names';

/**
 * The auditor's view of a trail: one row per money movement of a fund (下达, 安排, 收回安排, 拨付,
 * 收回), in the trail's order, refusals listed apart, and totals at the end that are checked
 * against the fund's books. A movement is the fund stream's own event: the project records the
 * same allocation and payment on its own stream, and counting both would count the money twice.
 */
export interface LedgerRow {
  readonly position: number;
  /** Business date (the day the act counts for), then the time it was recorded. */
  readonly at: string;
  readonly type: string;
  readonly item: string;
  readonly amountFen: number;
  readonly fundId: string;
  readonly source: string | null;
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly payee: string | null;
  readonly householdId: string | null;
  readonly milestone: string | null;
  readonly userId: string;
  readonly role: string;
  /** The appropriation's document number, or the rule tables the decision was taken under. */
  readonly basis: string | null;
  readonly proof: AuditEntry['proof'];
}

export interface LedgerRefusal {
  readonly position: number;
  readonly at: string;
  readonly commandType: string;
  readonly code: string;
  readonly zh: string;
  readonly amountFen: number | null;
  readonly fundId: string | null;
  readonly projectId: string | null;
  readonly payee: string | null;
  readonly userId: string;
  readonly role: string;
}

/** Sums of the rows by kind of movement, and what they leave, per fund. */
export interface LedgerTotals {
  readonly appropriatedFen: number;
  readonly allocatedFen: number;
  readonly releasedFen: number;
  readonly paidFen: number;
  readonly returnedFen: number;
  /** allocated − released − paid. */
  readonly allocatedUnpaidFen: number;
  /** appropriated − allocated + released − returned (a project's ledger has no appropriation: null). */
  readonly availableFen: number | null;
}

export interface Ledger {
  readonly kind: string;
  readonly id: string;
  readonly rows: readonly LedgerRow[];
  readonly refusals: readonly LedgerRefusal[];
  readonly totals: LedgerTotals;
  /**
   * Each fund's books folded from its own events by the domain (fund/evolve.ts), beside the row
   * sums for that fund: `reconciled` when every sum equals its balance to the fen.
   */
  readonly books: readonly {
    readonly fundId: string;
    readonly appropriatedFen: number;
    readonly availableFen: number;
    readonly allocatedUnpaidFen: number;
    readonly paidFen: number;
    readonly returnedFen: number;
    readonly reconciled: boolean;
  }[];
  readonly reconciled: boolean;
  readonly verified: boolean;
}

const MOVEMENTS = new Set(['FundAppropriated', 'FundAllocated', 'FundAllocationReleased', 'FundDisbursed', 'FundReturned']);

type Data = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const sums = (rows: readonly LedgerRow[]) => {
  const by = (type: string) => rows.filter((r) => r.type === type).reduce((s, r) => s + r.amountFen, 0);
  return {
    appropriatedFen: by('FundAppropriated'),
    allocatedFen: by('FundAllocated'),
    releasedFen: by('FundAllocationReleased'),
    paidFen: by('FundDisbursed'),
    returnedFen: by('FundReturned'),
  };
};

/**
 * The ledger of a trail. `names` gives a project's name and a fund's source for the funds a
 * project's trail touches (the trail itself carries each fund's source only on its appropriation).
 */
export const ledgerOf = (
  kind: string,
  id: string,
  entries: readonly AuditEntry[],
  names: { readonly projectName: (projectId: string) => string | null; readonly fundSource: (fundId: string) => string | null },
): Ledger => {
  const fundEntries = entries.filter((e) => e.streamId.startsWith('fund-') && MOVEMENTS.has(e.type));
  const sourceOf = new Map<string, string>();
  const documentOf = new Map<string, string>();
  for (const e of fundEntries) {
    const d = e.data as Data;
    if (e.type === 'FundAppropriated') {
      sourceOf.set(String(d.fundId), String(d.source));
      documentOf.set(String(d.fundId), String(d.documentNumber));
    }
  }
  const rows: LedgerRow[] = fundEntries.map((e) => {
    const d = e.data as Data;
    const fundId = String(d.fundId);
    const projectId = str(d.projectId);
    return {
      position: e.position,
      at: `${e.businessDate} ${e.recordedAt}`,
      type: e.type,
      item: e.type === 'FundDisbursed' && typeof d.milestone === 'string' ? `${zhOf(EVENT_NAMES, e.type)}（${zhOf(MILESTONE_NAMES, d.milestone)}）` : zhOf(EVENT_NAMES, e.type),
      amountFen: Number(d.amount),
      fundId,
      source: sourceOf.get(fundId) ?? names.fundSource(fundId),
      projectId,
      projectName: projectId ? names.projectName(projectId) : null,
      payee: str(d.payee),
      householdId: str(d.householdId),
      milestone: str(d.milestone),
      userId: e.userId,
      role: e.role,
      basis: e.type === 'FundAppropriated' ? (documentOf.get(fundId) ?? null) : e.policyVersion,
      proof: e.proof,
    };
  });
  const refusals: LedgerRefusal[] = entries
    .filter((e) => e.type === 'CommandRefused')
    .map((e) => {
      const d = e.data as Data;
      return {
        position: e.position,
        at: `${e.businessDate} ${e.recordedAt}`,
        commandType: String(d.commandType),
        code: String(d.code),
        zh: String(d.zh),
        amountFen: typeof d.amount === 'number' ? d.amount : null,
        fundId: str(d.fundId),
        projectId: str(d.projectId),
        payee: str(d.payee),
        userId: e.userId,
        role: e.role,
      };
    });
  const s = sums(rows);
  const hasAppropriation = rows.some((r) => r.type === 'FundAppropriated');
  const totals: LedgerTotals = {
    ...s,
    allocatedUnpaidFen: s.allocatedFen - s.releasedFen - s.paidFen,
    availableFen: hasAppropriation ? s.appropriatedFen - s.allocatedFen + s.releasedFen - s.returnedFen : null,
  };
  // The books, per fund whose whole stream the trail holds (a fund's trail does; a project's holds only its part).
  const books = [...new Set(rows.filter((r) => r.type === 'FundAppropriated').map((r) => r.fundId))].map((fundId) => {
    const stream = entries.filter((e) => e.streamId === `fund-${fundId}` || (e.streamId.startsWith('fund-') && (e.data as Data).fundId === fundId));
    const state = evolveAll(
      stream.map((e) => ({ type: e.type, data: e.data }) as FundEvent),
      initialState(),
    );
    const b = 'appropriated' in state ? state : undefined;
    const mine = sums(rows.filter((r) => r.fundId === fundId));
    const unpaid = mine.allocatedFen - mine.releasedFen - mine.paidFen;
    const available = mine.appropriatedFen - mine.allocatedFen + mine.releasedFen - mine.returnedFen;
    const book = {
      appropriatedFen: b?.appropriated ?? 0,
      availableFen: b?.available ?? 0,
      allocatedUnpaidFen: b?.allocatedUnpaid ?? 0,
      paidFen: b?.paid ?? 0,
      returnedFen: b?.returned ?? 0,
    };
    const reconciled =
      b !== undefined &&
      book.appropriatedFen === mine.appropriatedFen &&
      book.paidFen === mine.paidFen &&
      book.returnedFen === mine.returnedFen &&
      book.allocatedUnpaidFen === unpaid &&
      book.availableFen === available;
    return { fundId, ...book, reconciled };
  });
  return { kind, id, rows, refusals, totals, books, reconciled: books.every((b) => b.reconciled), verified: entries.every((e) => e.proof.status === 'verified') };
};

/** The zh headers an auditor reads, in the order the issue of record names them. */
export const LEDGER_HEADERS = ['时间', '事项', '金额（元）', '资金来源', '项目', '收款方/农户', '经办人', '角色', '依据政策', '存证'] as const;

/** 1234567 fen → "12345.67": a number a spreadsheet sums, exact (no float on the way). */
export const yuanNumber = (fen: number): string => formatYuan(fen).replace(/[,元]/g, '');

const project = (r: { projectId: string | null; projectName?: string | null }): string => (r.projectId ? (r.projectName ? `${r.projectName}（${r.projectId}）` : r.projectId) : '');
const payee = (r: { payee: string | null; householdId?: string | null }): string => [r.payee, r.householdId ? `农户 ${r.householdId}` : null].filter(Boolean).join(' / ');
const proofCell = (p: AuditEntry['proof']): string => (p.status === 'verified' ? `已验证 ${p.hash.slice(0, 16)}` : `链断裂（${p.reason ?? 'hash'}）${p.hash.slice(0, 16)}`);

/** The ledger as rows of cells (strings, the amount as a plain decimal), for CSV and xlsx alike. */
export const ledgerTable = (
  l: Ledger,
): {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly refusals: readonly (readonly string[])[];
  readonly totals: readonly (readonly [string, string])[];
} => ({
  header: [...LEDGER_HEADERS, '位置'],
  rows: l.rows.map((r) => [
    r.at,
    r.item,
    yuanNumber(r.amountFen),
    r.source ? zhOf(FUND_SOURCE_NAMES, r.source) : '',
    project(r),
    payee(r),
    r.userId,
    zhOf(ROLE_NAMES, r.role),
    r.basis ?? '',
    proofCell(r.proof),
    String(r.position),
  ]),
  refusals: l.refusals.map((r) => [
    r.at,
    // The refused amount is told in the text, not the 金额 column: nothing moved, and the column sums movements only.
    `被拒绝：${r.commandType}（${r.code}）${r.zh}${r.amountFen === null ? '' : `；申请金额 ${formatYuan(r.amountFen)}`}`,
    '',
    '',
    project(r),
    payee(r),
    r.userId,
    zhOf(ROLE_NAMES, r.role),
    '',
    '',
    String(r.position),
  ]),
  totals: [
    ['下达合计', formatYuan(l.totals.appropriatedFen)],
    ['安排合计', formatYuan(l.totals.allocatedFen)],
    ['收回安排合计', formatYuan(l.totals.releasedFen)],
    ['拨付合计', formatYuan(l.totals.paidFen)],
    ['收回合计', formatYuan(l.totals.returnedFen)],
    ['已安排未拨付', formatYuan(l.totals.allocatedUnpaidFen)],
    ...(l.totals.availableFen === null ? [] : ([['可用余额', formatYuan(l.totals.availableFen)]] as [string, string][])),
    ['与资金账面核对', l.books.length === 0 ? '（项目账不含资金下达，见各资金账）' : l.reconciled ? '一致' : '不一致'],
    ['存证核验', l.verified ? '全部通过' : '有链断裂'],
  ],
});

const FORMULA_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);
const cell = (s: string): string => {
  // Quote always, and defuse formulas: a spreadsheet must show the record, not evaluate it. Amounts are never negative.
  const safe = FORMULA_START.has(s.charCodeAt(0)) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

/**
 * The ledger as CSV, UTF-8 with a BOM: the movements under the zh headers, a blank line, the
 * refusals (listed apart, their amounts in the text), a blank line, the totals (label and 元 in the
 * first two columns): the 金额 column holds movements and nothing else, so summing it whole is the
 * movements' sum.
 */
export const ledgerCsv = (l: Ledger): string => {
  const t = ledgerTable(l);
  const line = (cells: readonly string[]) => cells.map(cell).join(',');
  return (
    '\uFEFF' +
    [line(t.header), ...t.rows.map(line), '', line(['拒绝记录（未发生资金变动，不计入合计）']), ...t.refusals.map(line), '', line(['合计']), ...t.totals.map(line)].join('\r\n') +
    '\r\n'
  );
};

/**
 * The ledger of a fund or a project from the store: its audit trail, with the projects' names
 * (project_summary) and the funds' sources (fund_balances) the trail itself does not carry.
 */
export const auditLedger = async (db: Kysely<Database>, kind: 'fund' | 'project', id: string): Promise<Ledger | null> => {
  const entries = await auditTrail(db, kind, id);
  if (entries.length === 0) return null;
  const ids = (prefix: string, key: string) => [...new Set(entries.map((e) => (e.data as Data)[key]).filter((v): v is string => typeof v === 'string' && v.startsWith(prefix)))];
  const projectIds = ids('prj-', 'projectId');
  const fundIds = ids('fund-', 'fundId');
  const projects = projectIds.length === 0 ? [] : await db.selectFrom('project_summary').select(['project_id', 'name']).where('project_id', 'in', projectIds).execute();
  const funds = fundIds.length === 0 ? [] : await db.selectFrom('fund_balances').select(['fund_id', 'source']).where('fund_id', 'in', fundIds).execute();
  const names = new Map(projects.map((p) => [p.project_id, p.name]));
  const sources = new Map(funds.map((f) => [f.fund_id, f.source]));
  return ledgerOf(kind, id, entries, { projectName: (p) => names.get(p) ?? null, fundSource: (f) => sources.get(f) ?? null });
};
