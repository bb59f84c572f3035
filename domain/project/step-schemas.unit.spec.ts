import { STEP_DATA_SCHEMAS, STEP_INPUT_SCHEMAS, STEP_TYPES } from './step-schemas';

describe('step data: strings in 元 at the boundary, fen in the workflow', () => {
  const contract = { contractId: 'ctr-song-2016-001', contractor: 'payee-song-road-co-01', advanceBp: 3000, retentionBp: 300, warrantyMonths: 12 };

  it.each([
    ['StartConstruction', { ...contract, contractAmount: '105万' }, { contractAmount: 105_000_000 }],
    ['SettleProject', { settlementAmount: '1,049,999.99元' }, { settlementAmount: 104_999_999 }],
    ['RecordAuditFinding', { findingId: 'f-1', summary: '超标准列支', amount: '1200' }, { amount: 120_000 }],
  ] as const)('%s: what the boundary parses is what the workflow’s validator takes', (type, input, fen) => {
    const parsed = STEP_INPUT_SCHEMAS[type].parse(input);
    expect(parsed).toMatchObject(fen);
    expect(STEP_DATA_SCHEMAS[type].parse(parsed)).toEqual(parsed);
  });

  it('refuses a JSON number for an amount at the boundary, saying how to write it', () => {
    const r = STEP_INPUT_SCHEMAS.StartConstruction.safeParse({ ...contract, contractAmount: 105_000_000 });
    expect(r.error?.issues[0]).toMatchObject({ path: ['contractAmount'], message: expect.stringMatching(/JSON number is not accepted.*"115万"/) });
  });

  it('every step’s boundary output passes the workflow’s own check', () => {
    expect(Object.keys(STEP_INPUT_SCHEMAS).sort()).toEqual([...STEP_TYPES].sort());
  });
});
