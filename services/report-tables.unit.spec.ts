import { reportTables } from './report-tables';
import type { Report } from './report';

const sums = { appropriatedFen: 0, availableFen: 0, allocatedUnpaidFen: 0, paidFen: 0, returnedFen: 0, funds: 0 };

const report = (anomalies: Report['anomalies']): Report => ({
  store: { position: 10, digest: 'ab'.repeat(32), streams: 1, events: 10, recordedAt: '2020-12-31T00:00:00.000Z', head: 10 },
  scope: { counties: [] },
  exits: [],
  money: { bySource: [], byCounty: [], total: { key: 'total', name: '合计', ...sums } },
  categories: [],
  benefits: [],
  anomalies,
});

const anomalyRows = (rep: Report) => reportTables(rep).find((t) => t.id === 'anomalies')!.rows;

describe('the report’s anomaly table', () => {
  it('names each kind as an inspector reads it, in zh, and totals the counts', () => {
    const rows = anomalyRows(
      report([
        { kind: 'over-allocation', count: 2 },
        { kind: 'benefit-payment-returned', count: 3 },
      ]),
    );
    expect(rows).toEqual([
      [{ text: '超额安排或拨付' }, { count: 2 }],
      [{ text: '补助被退回' }, { count: 3 }],
      [{ text: '合计' }, { count: 5 }],
    ]);
  });

  it('keeps the id of a kind the names table does not know yet, rather than drop the row', () => {
    expect(anomalyRows(report([{ kind: 'a-kind-from-a-newer-projection', count: 1 }]))[0]).toEqual([{ text: 'a-kind-from-a-newer-projection' }, { count: 1 }]);
  });
});
