import { appendToStream } from '../infra/eventstore';
import { rebuildProjection } from '../infra/projections/rebuild';
import { fundBalances } from '../infra/projections/fund-balances';
import { paymentLedger } from '../infra/projections/payment-ledger';
import { anomalies } from '../infra/projections/anomalies';
import * as fund from '../domain/fund';
import type { Fen } from '../domain/shared/money';
import { createBenchDatabase } from './benchdb';
import { line, measured, ratio, seconds } from './stats';

const finance = { userId: 'fin.song.1', role: 'county-finance' as const, countyId: 'song' as const };
const meta = { actor: finance, now: '2017-03-01T09:00:00+08:00' };

/**
 * Rebuilds of the payment ledger and the anomalies view against fund_balances over the same fund
 * events: funds, each with allocations and several payments per allocation (a third of them to a
 * household: one account, a household named), decided by the fund's own decider and appended in chunks.
 */
export const runLedgerRebuildBench = async (o: { funds: number; allocationsPerFund: number; paymentsPerAllocation: number; log: (s: string) => void }): Promise<void> => {
  const b = await createBenchDatabase(2);
  try {
    let total = 0;
    for (let f = 0; f < o.funds; f++) {
      const fundId = `fund-song-2017-b${f}`;
      let state = fund.initialState();
      const events: fund.FundEvent[] = [];
      const take = (c: fund.FundCommand) => {
        const d = fund.decide(c, state);
        if (!d.ok) throw new Error(d.error.code);
        for (const e of d.events) state = fund.evolve(state, e);
        events.push(...d.events);
      };
      const per = 1_000_000;
      take({
        type: 'AppropriateFund',
        data: { fundId, source: 'central', fiscalYear: 2017, countyId: 'song', documentNumber: `doc-${f}`, amount: (o.allocationsPerFund * per) as Fen, earmark: ['transport'] },
        meta,
      });
      for (let a = 0; a < o.allocationsPerFund; a++) {
        const allocationId = `alc-${a}`;
        take({
          type: 'AllocateFund',
          data: { fundId, allocationId, projectId: `prj-song-2017-f${f}a${a}`, projectCountyId: 'song', category: 'transport', amount: per as Fen },
          meta,
        });
        for (let p = 0; p < o.paymentsPerAllocation; p++) {
          const toHousehold = p % 3 === 0 ? { payee: `acct-${a % 50}`, householdId: `hh-song-f${f}a${a}` } : { payee: `payee-song-co-${a % 20}` };
          take({ type: 'DisburseFund', data: { fundId, allocationId, paymentId: `pay-${f}-${a}-${p}`, milestone: 'progress', ...toHousehold, amount: 1_000 as Fen }, meta });
        }
      }
      for (let i = 0; i < events.length; i += 500) {
        const chunk = events.slice(i, i + 500);
        await appendToStream(
          b.appDb,
          `fund-${fundId}`,
          i === 0 ? 'no-stream' : i,
          chunk.map((e, k) => ({
            eventId: `b-${fundId}-${i + k}`,
            type: e.type,
            data: e.data,
            metadata: { actor: finance, countyId: 'song', correlationId: 'b', causationId: 'b', businessDate: '2017-03-01' },
          })),
        );
      }
      total += events.length;
    }
    o.log(`${total.toLocaleString('en-US')} fund events in the store`);
    const timed = async (p: typeof fundBalances) => {
      const start = process.hrtime.bigint();
      const r = await rebuildProjection(b.adminDb, p, { batchSize: 5000 });
      return measured(`rebuild ${p.name} from the store`, r.events, seconds(start));
    };
    const base = await timed(fundBalances);
    o.log(line(base));
    for (const p of [paymentLedger, anomalies]) {
      const m = await timed(p);
      o.log(line(m));
      o.log(ratio(`${p.name} vs fund_balances`, m, base));
    }
  } finally {
    await b.drop();
  }
};

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  runLedgerRebuildBench({ funds: quick ? 4 : 20, allocationsPerFund: quick ? 50 : 200, paymentsPerAllocation: quick ? 4 : 10, log: (s) => process.stdout.write(`${s}\n`) }).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
      process.exit(1);
    },
  );
}
