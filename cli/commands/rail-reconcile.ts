import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { formatYuan } from '../../domain/shared/money';
import { reconcileRailWithBooks, type RailReconciliation, type ReconciliationItem } from '../../services/rail-reconciliation';
import { parseFlags, takeSwitch } from '../args';

const line = (i: ReconciliationItem): string =>
  `  ${i.paymentKey}  ${i.fundId ?? '-'}  国库 ${i.railFen === null ? '-' : formatYuan(i.railFen)}  账簿 ${i.booksFen === null ? '-' : formatYuan(i.booksFen)}`;

/** `tuopin rail reconcile [--json] [--grace-seconds <n>]`: exit 3 when the rail and the books disagree. */
export const runRailReconcile = async (argv: string[], db: Kysely<Database>, out: (line: string) => void): Promise<RailReconciliation> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  const f = parseFlags(rest, z.object({ 'grace-seconds': z.coerce.number().int().min(0).max(86_400).default(60) }));
  const r = await reconcileRailWithBooks(db, { graceMs: f['grace-seconds'] * 1000 });
  if (json) out(JSON.stringify(r, null, 2));
  else {
    out(
      `国库已确认 rail confirmed: ${r.rail.confirmed} 笔 ${formatYuan(r.rail.amountFen)}; 账簿 books: ${r.books.payments} 笔 ${formatYuan(r.books.amountFen)}; 国库待确认 pending: ${r.pendingAtRail}`,
    );
    if (r.paidNotBooked.length > 0) out(`已付未记账 paid, not booked (${r.paidNotBooked.length}):\n${r.paidNotBooked.map(line).join('\n')}`);
    if (r.bookedNotPaid.length > 0) out(`已记账未付 booked, not paid (${r.bookedNotPaid.length}):\n${r.bookedNotPaid.map(line).join('\n')}`);
    if (r.amountsDiffer.length > 0) out(`金额不符 amounts differ (${r.amountsDiffer.length}):\n${r.amountsDiffer.map(line).join('\n')}`);
    if (r.inFlight.length > 0) out(`记账中 being recorded (confirmed in the last ${f['grace-seconds']} s): ${r.inFlight.length}`);
    if (!r.railBalanced) out('国库账试算不平 the rail ledger does not balance (tuopin-rail trial-balance)');
    out(r.ok ? '对账一致 rail = books' : '对账不一致 rail ≠ books');
  }
  if (!r.ok) process.exitCode = 3;
  return r;
};
