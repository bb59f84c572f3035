import type { AuditEntry } from './audit-trail';
import { LEDGER_HEADERS, ledgerCsv, ledgerOf, yuanNumber } from './audit-ledger';

const FUND = 'fund-song-2016-central-01';
const PRJ = 'prj-song-2016-road0001';
let position = 0;
const entry = (streamId: string, type: string, data: Record<string, unknown>, role = 'county-finance'): AuditEntry => {
  position += 1;
  return {
    position,
    streamId,
    streamVersion: position,
    eventId: `e-${position}`,
    type,
    countyId: 'song',
    userId: 'qian.li',
    role,
    policyVersion: type === 'FundDisbursed' ? null : null,
    businessDate: '2016-05-01',
    recordedAt: '2016-05-01T08:00:00.000Z',
    workflowId: null,
    runId: null,
    data,
    proof: { status: 'verified', hash: 'ab'.repeat(32) },
  };
};
const base = { fundId: FUND, by: 'qian.li', at: '2016-05-01T08:00:00.000Z' };
const fundStream = `fund-${FUND}`;
const trail = (): AuditEntry[] => [
  entry(fundStream, 'FundAppropriated', {
    ...base,
    source: 'central',
    fiscalYear: 2016,
    countyId: 'song',
    documentNumber: '豫财农〔2016〕1号',
    amount: 500_000_000,
    earmark: ['transport'],
  }),
  entry(fundStream, 'FundAllocated', { ...base, allocationId: `${PRJ}:a6`, projectId: PRJ, category: 'transport', amount: 63_000_000 }),
  // The project records the same allocation on its own stream: not a second movement.
  entry(`project-${PRJ}`, 'ProjectFundingRecorded', { fundId: FUND, allocationId: `${PRJ}:a6`, source: 'central', amount: 63_000_000 }),
  entry('refusals-song', 'CommandRefused', {
    commandType: 'RecordPayment',
    projectId: PRJ,
    countyId: 'song',
    fundId: FUND,
    payee: 'payee-song-road-co-01',
    amount: 99_000_000,
    code: 'PAYMENT_EXCEEDS_ALLOCATION',
    zh: '累计拨付超过资金安排',
    en: 'x',
  }),
  entry(fundStream, 'FundDisbursed', {
    ...base,
    allocationId: `${PRJ}:a6`,
    projectId: PRJ,
    paymentId: `${PRJ}:p1`,
    milestone: 'advance',
    payee: 'payee-song-road-co-01',
    amount: 18_900_001,
  }),
  entry(fundStream, 'FundAllocationReleased', { ...base, allocationId: `${PRJ}:a6`, projectId: PRJ, amount: 1, reason: '结余' }),
  entry(fundStream, 'FundReturned', { ...base, amount: 12_345_601, reason: '收回' }),
];
const names = { projectName: (p: string) => (p === PRJ ? '车村镇通村道路硬化' : null), fundSource: () => null };

describe('the auditor’s ledger of a fund', () => {
  const l = ledgerOf('fund', FUND, trail(), names);

  it('one row per movement of the fund, in trail order; the project’s own record of the same money is not a second row', () => {
    expect(l.rows.map((r) => [r.item, r.amountFen])).toEqual([
      ['资金下达', 500_000_000],
      ['资金安排', 63_000_000],
      ['资金拨付（预付款）', 18_900_001],
      ['安排资金收回', 1],
      ['资金收回', 12_345_601],
    ]);
    expect(l.rows[2]).toMatchObject({ projectName: '车村镇通村道路硬化', payee: 'payee-song-road-co-01', source: 'central' });
    expect(l.rows[0]!.basis).toBe('豫财农〔2016〕1号');
  });

  it('lists refusals apart, and totals that equal the fund’s books folded by the domain', () => {
    expect(l.refusals).toEqual([expect.objectContaining({ code: 'PAYMENT_EXCEEDS_ALLOCATION', amountFen: 99_000_000 })]);
    expect(l.totals).toEqual({
      appropriatedFen: 500_000_000,
      allocatedFen: 63_000_000,
      releasedFen: 1,
      paidFen: 18_900_001,
      returnedFen: 12_345_601,
      allocatedUnpaidFen: 63_000_000 - 1 - 18_900_001,
      availableFen: 500_000_000 - 63_000_000 + 1 - 12_345_601,
    });
    expect(l.books).toEqual([
      {
        fundId: FUND,
        appropriatedFen: 500_000_000,
        availableFen: 500_000_000 - 63_000_000 + 1 - 12_345_601,
        allocatedUnpaidFen: 63_000_000 - 1 - 18_900_001,
        paidFen: 18_900_001,
        returnedFen: 12_345_601,
        reconciled: true,
      },
    ]);
    expect(l.reconciled).toBe(true);
  });

  it('a project’s ledger: the movements that name it, the fund’s source looked up, no appropriation and no available balance', () => {
    const p = ledgerOf(
      'project',
      PRJ,
      trail().filter((e) => e.type !== 'FundAppropriated' && e.type !== 'FundReturned'),
      { ...names, fundSource: () => 'central' },
    );
    expect(p.rows.map((r) => r.type)).toEqual(['FundAllocated', 'FundDisbursed', 'FundAllocationReleased']);
    expect(p.rows[0]!.source).toBe('central');
    expect(p.totals.availableFen).toBeNull();
    expect(p.books).toEqual([]);
  });

  it('CSV: UTF-8 BOM, the zh headers, and a 金额 column that sums to the movements exactly', () => {
    const csv = ledgerCsv(l);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe([...LEDGER_HEADERS, '位置'].map((h) => `"${h}"`).join(','));
    const cells = lines.map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!));
    const amountColumn = cells
      .slice(1)
      .map((c) => c[2] ?? '')
      .filter((c) => c !== '');
    const fen = amountColumn.reduce((s, c) => s + Math.round(Number(c) * 100), 0);
    expect(fen).toBe(500_000_000 + 63_000_000 + 18_900_001 + 1 + 12_345_601);
    expect(csv).toContain('"被拒绝：RecordPayment（PAYMENT_EXCEEDS_ALLOCATION）累计拨付超过资金安排；申请金额 990,000.00元"');
    expect(csv).toContain('"拨付合计","189,000.01元"');
    expect(csv).toContain('"与资金账面核对","一致"');
  });

  it('writes amounts as exact decimals', () => {
    expect(yuanNumber(18_900_001)).toBe('189000.01');
    expect(yuanNumber(0)).toBe('0.00');
  });
});
