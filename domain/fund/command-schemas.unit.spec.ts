import { FUND_COMMAND_DATA_SCHEMAS, paymentRequestSchema } from './command-schemas';

describe('Fund command schemas at the boundary', () => {
  it('accept an appropriation in fen and refuse a float', () => {
    const ok = {
      fundId: 'fund-song-2017-central-01',
      source: 'central',
      fiscalYear: 2017,
      countyId: 'song',
      documentNumber: '豫财农〔2017〕1号',
      amount: 100_000_000,
      earmark: ['transport'],
    };
    expect(FUND_COMMAND_DATA_SCHEMAS.AppropriateFund.safeParse(ok).success).toBe(true);
    expect(FUND_COMMAND_DATA_SCHEMAS.AppropriateFund.safeParse({ ...ok, amount: 1.5 }).success).toBe(false);
    expect(FUND_COMMAND_DATA_SCHEMAS.AppropriateFund.safeParse({ ...ok, earmark: [] }).success).toBe(false);
  });
  it('refuse a payment request with a name where an account id belongs', () => {
    const ok = {
      projectId: 'prj-song-2017-road0001',
      fundId: 'fund-song-2017-central-01',
      allocationId: 'alc-1',
      paymentId: 'pay-1',
      milestone: 'advance',
      payee: 'acct-1',
      amount: 1,
      use: 'road-works',
    };
    expect(paymentRequestSchema.safeParse(ok).success).toBe(true);
    expect(paymentRequestSchema.safeParse({ ...ok, payee: '张三' }).success).toBe(false);
  });
});
