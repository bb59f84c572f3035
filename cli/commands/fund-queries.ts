import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { countyNameSchema } from '../../domain/reference/counties';
import { fundIdSchema, fundSourceSchema } from '../../domain/fund';
import { formatYuan } from '../../domain/shared/money';
import { fundTotals, getFundBalance, listFunds, sumFunds, type FundBalance, type FundGroup } from '../../services/fund-queries';
import { fundDimensionsSchema } from '../../api/schemas/funds';
import { allPages } from '../../services/page';
import { CliError, usageRefusal, parseFlags, takeSwitch, inputRefusal, ruleRefusal } from '../args';
import { columnTotals, headerOf, renderTable, writeRows, type Column } from '../table';
import { CATEGORY_NAMES, COUNTY_NAMES, FUND_BALANCE_NAMES, FUND_FLOW_RULE_NAMES, FUND_SOURCE_NAMES, MILESTONE_NAMES, zhOf } from '../../domain/names';
import { describeFund } from './fund-appropriate';
import { readFundFlow } from '../../services/fund-flow';
import type { FlowCheck, FlowPayee } from '../../domain/fund';

type Out = (line?: string) => void;

const listFlags = z
  .object({
    county: countyNameSchema.optional(),
    source: fundSourceSchema.optional(),
    year: z.coerce.number().int().min(2016).max(2030).optional(),
  })
  .strict();

export const FUND_COLUMNS: readonly Column<FundBalance>[] = [
  { key: 'fundId', header: '资金 fund', value: (f) => f.fundId },
  { key: 'source', header: '来源 source', value: (f) => zhOf(FUND_SOURCE_NAMES, f.source) },
  { key: 'countyId', header: '县 county', value: (f) => zhOf(COUNTY_NAMES, f.countyId) },
  { key: 'fiscalYear', header: '年度 year', value: (f) => f.fiscalYear, kind: 'number' },
  { key: 'documentNumber', header: '文号 document', value: (f) => f.documentNumber },
  { key: 'appropriatedFen', header: headerOf(FUND_BALANCE_NAMES.appropriatedFen), value: (f) => f.appropriatedFen, kind: 'money', total: true },
  { key: 'availableFen', header: headerOf(FUND_BALANCE_NAMES.availableFen), value: (f) => f.availableFen, kind: 'money', total: true },
  { key: 'allocatedUnpaidFen', header: headerOf(FUND_BALANCE_NAMES.allocatedUnpaidFen), value: (f) => f.allocatedUnpaidFen, kind: 'money', total: true },
  { key: 'paidFen', header: headerOf(FUND_BALANCE_NAMES.paidFen), value: (f) => f.paidFen, kind: 'money', total: true },
  { key: 'returnedFen', header: headerOf(FUND_BALANCE_NAMES.returnedFen), value: (f) => f.returnedFen, kind: 'money', total: true },
  { key: 'frozen', header: '冻结 frozen', value: (f) => (f.frozen ? '已冻结 frozen' : '') },
];

const SUMMED = ['appropriatedFen', 'availableFen', 'allocatedUnpaidFen', 'paidFen', 'returnedFen'] as const;

/**
 * `tuopin fund list [--county] [--source] [--year] [--json]`: the query GET /funds runs, every page,
 * with totals added row by row in integer fen and checked against the database's own sums over
 * the same snapshot; a difference of one fen fails the command.
 */
export const runFundList = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  const f = parseFlags(rest, listFlags);
  const { rows, sums } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => ({ rows: await allPages((after) => listFunds(trx, { ...f, after, limit: 200 })), sums: await sumFunds(trx, f) }));
  const totals = columnTotals(rows, FUND_COLUMNS);
  const off = SUMMED.filter((k) => totals[k] !== sums[k]);
  if (off.length > 0 || sums.funds !== rows.length) {
    throw new CliError(
      'FUND_TOTALS_DO_NOT_RECONCILE',
      off.map((k) => `${k}: rows add up to ${formatYuan(totals[k]!)}, the database sums ${formatYuan(sums[k])}`).join('\n') || `${rows.length} rows listed, ${sums.funds} counted`,
    );
  }
  writeRows(out, rows, FUND_COLUMNS, { json, total: `${rows.length} 项资金 fund(s)` });
  if (!json) out(`totals reconcile to the fen with the database's sums over ${sums.funds} fund(s) 合计与数据库汇总核对到分`);
};

const totalsFlags = listFlags.extend({ by: fundDimensionsSchema.default(['source', 'county', 'year']) }).strict();

const GROUP_COLUMNS: readonly Column<FundGroup>[] = [
  { key: 'source', header: '来源 source', value: (g) => (g.source === undefined ? undefined : zhOf(FUND_SOURCE_NAMES, g.source)) },
  { key: 'countyId', header: '县 county', value: (g) => (g.countyId === undefined ? undefined : zhOf(COUNTY_NAMES, g.countyId)) },
  { key: 'fiscalYear', header: '年度 year', value: (g) => g.fiscalYear, kind: 'number' },
  { key: 'funds', header: '资金项数 funds', value: (g) => g.funds, kind: 'number', total: true },
  ...FUND_COLUMNS.filter((c) => (SUMMED as readonly string[]).includes(c.key)).map((c) => ({ ...c, value: (g: FundGroup) => g[c.key as (typeof SUMMED)[number]] })),
];

/**
 * `tuopin fund totals [--by source,county,year] [--county] [--source] [--year] [--json]`: what
 * GET /funds/totals answers; the groups must add up to the grand total to the fen.
 */
export const runFundTotals = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  const { by, ...f } = parseFlags(rest, totalsFlags);
  const { groups, total } = await fundTotals(db, f, by);
  const shown = GROUP_COLUMNS.filter(
    (c) => !['source', 'countyId', 'fiscalYear'].includes(c.key) || by.includes(c.key === 'countyId' ? 'county' : c.key === 'fiscalYear' ? 'year' : 'source'),
  );
  const sums = columnTotals(groups, shown);
  const off = [...SUMMED, 'funds' as const].filter((k) => sums[k] !== total[k]);
  if (off.length > 0) throw new CliError('FUND_TOTALS_DO_NOT_RECONCILE', off.map((k) => `${k}: groups add up to ${sums[k]}, the total is ${total[k]}`).join('\n'));
  writeRows(out, groups, shown, { json, total: '合计 total' });
  if (!json) out(`${groups.length} group(s) by ${by.join(', ')}; they add up to the total to the fen 各组之和与合计到分相符`);
};

/**
 * `tuopin fund show <id> [--json]`: the fund's books as its stream says (with the invariant
 * checked and each allocation), then the balances GET /funds/:id serves from the read model.
 */
export const runFundShow = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  if (rest.length !== 1) throw usageRefusal('tuopin fund show');
  const id = fundIdSchema.safeParse(rest[0]);
  if (!id.success) throw inputRefusal(id.error, '<fund id>');
  if (json) {
    const fund = await getFundBalance(db, id.data);
    if (!fund) throw ruleRefusal({ code: 'FUND_NOT_FOUND', en: `no fund ${id.data} in the read model`, zh: `读模型中没有资金 ${id.data}` });
    out(JSON.stringify(fund, null, 2));
    return;
  }
  for (const line of await describeFund(db, id.data)) out(line);
  const fund = await getFundBalance(db, id.data);
  out('');
  if (!fund) {
    out('读模型尚未更新 read model: not yet projected');
    return;
  }
  out(`读模型（同 API 返回），库位置 ${fund.lastEventPosition} read model (as the API serves it), at store position ${fund.lastEventPosition}:`);
  for (const l of renderTable([fund], FUND_COLUMNS.slice(5))) out(l);
};

const PAYEE_COLUMNS: readonly Column<FlowPayee>[] = [
  { key: 'payee', header: '收款方 payee', value: (p) => p.payee },
  { key: 'payments', header: '笔数 payments', value: (p) => p.payments, kind: 'number', total: true },
  { key: 'amount', header: headerOf(FUND_BALANCE_NAMES.paidFen), value: (p) => p.amount, kind: 'money', total: true },
  { key: 'households', header: '农户 households', value: (p) => p.households.join(' ') },
  { key: 'projects', header: '项目 projects', value: (p) => p.projects.join(' ') },
];

/** One of a flow's checks: "  ok     payments add up to paid 各笔拨付之和 = 已拨付", a broken one with its two sums and 不符. */
export const flowCheckLine = (c: FlowCheck): string =>
  `  ${c.holds ? 'ok    ' : 'BROKEN'} ${c.rule}${c.holds ? '' : `: ${formatYuan(c.left)} ≠ ${formatYuan(c.right)}`} ${FUND_FLOW_RULE_NAMES[c.rule].zh}${c.holds ? '' : '（不符）'}`;

/**
 * `tuopin fund flow <id> [--json]`: what GET /funds/:id/flow answers — the appropriation, each
 * allocation with its payments, the returns, the payees, and the sums checked to the fen. A sum
 * that does not hold exits 3, like a broken hash chain.
 */
export const runFundFlow = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  if (rest.length !== 1) throw usageRefusal('tuopin fund flow');
  const id = fundIdSchema.safeParse(rest[0]);
  if (!id.success) throw inputRefusal(id.error, '<fund id>');
  const flow = await readFundFlow(db, id.data);
  if (!flow) throw ruleRefusal({ code: 'FUND_NOT_FOUND', en: `no fund ${id.data} in the store`, zh: `库中没有资金 ${id.data}` });
  if (!flow.reconciled) process.exitCode = 3;
  if (json) {
    out(JSON.stringify(flow, null, 2));
    return;
  }
  const a = flow.appropriation;
  out(
    `${flow.fundId}  ${zhOf(FUND_SOURCE_NAMES, a.source)} ${a.fiscalYear} ${zhOf(COUNTY_NAMES, a.countyId)}  ${a.documentNumber}  下达 appropriated ${formatYuan(a.amount)}${flow.frozen ? '  （已冻结 frozen）' : ''}`,
  );
  for (const al of flow.allocations) {
    out(
      `  ${al.allocationId} → ${al.projectId}（${zhOf(CATEGORY_NAMES, al.category)}）  安排 allocated ${formatYuan(al.allocated)}  收回安排 released ${formatYuan(al.released)}  已拨付 paid ${formatYuan(al.paid)}  未拨付 unpaid ${formatYuan(al.unpaid)}`,
    );
    for (const p of al.payments)
      out(
        `    ${p.paymentId}  ${zhOf(MILESTONE_NAMES, p.milestone)}  → ${p.payee}${p.householdId ? ` for ${p.householdId}` : ''}  ${formatYuan(p.amount)}  (${p.source}, ${p.at.slice(0, 10)}, 办理人 by ${p.by}, 库位置 position ${p.position})`,
      );
  }
  for (const r of flow.returns) out(`  已收回 returned ${formatYuan(r.amount)}  ${r.reason}  (${r.at.slice(0, 10)}, 库位置 position ${r.position})`);
  out('');
  for (const l of renderTable(flow.payees, PAYEE_COLUMNS, { total: '合计 total' })) out(l);
  out('');
  const t = flow.totals;
  out(
    [
      `${headerOf(FUND_BALANCE_NAMES.appropriatedFen)} ${formatYuan(t.appropriated)}`,
      `${headerOf(FUND_BALANCE_NAMES.availableFen)} ${formatYuan(t.available)}`,
      `${headerOf(FUND_BALANCE_NAMES.allocatedUnpaidFen)} ${formatYuan(t.allocatedUnpaid)}`,
      `${headerOf(FUND_BALANCE_NAMES.paidFen)} ${formatYuan(t.paid)}`,
      `${headerOf(FUND_BALANCE_NAMES.returnedFen)} ${formatYuan(t.returned)}`,
    ]
      .join(' + ')
      .replace(' + ', ' = '),
  );
  for (const c of flow.checks) out(flowCheckLine(c));
  out(flow.reconciled ? 'reconciled to the fen 到分相符' : 'NOT reconciled 核对不符');
};
