import { integratedLine, parseIntegrationPlan } from './fund-integrate';

const ARGS = ['--as', 'qian.li', '--county', '嵩县', '--year', '2017', '--document', '嵩政〔2017〕12号', '--adopted-on', '2017-04-10', '--total', '500万'];

describe('tuopin fund integrate: the 整合方案 from flags', () => {
  it('reads each channel and its amount, in fen, under the county finance bureau', () => {
    const { command } = parseIntegrationPlan([...ARGS, '--channels', 'water-development=300万, agricultural-production=2,000,000元'], new Date('2017-05-01T00:00:00Z'));
    expect(command).toEqual({
      type: 'AdoptIntegrationPlan',
      data: {
        countyId: 'song',
        year: 2017,
        documentRef: '嵩政〔2017〕12号',
        adoptedOn: '2017-04-10',
        channels: [
          { channel: 'water-development', amountFen: 300_000_000 },
          { channel: 'agricultural-production', amountFen: 200_000_000 },
        ],
        totalFen: 500_000_000,
      },
      meta: { actor: { userId: 'qian.li', role: 'county-finance', countyId: 'song' }, now: '2017-05-01T00:00:00.000Z' },
    });
  });
  it.each([
    ['a channel that is not one', ['--channels', 'donations=1万'], '--channels'],
    ['an amount people cannot mean', ['--channels', 'water-development=三百万'], '--channels'],
    ['a channel without an amount', ['--channels', 'water-development'], '--channels'],
  ])('refuses %s, naming the flag', (_, extra, flag) => {
    expect(() => parseIntegrationPlan([...ARGS, ...extra])).toThrow(flag);
  });
});

describe('what tuopin fund integrate did: the English scripts read first, then the Chinese', () => {
  const plan = { countyId: 'song', year: 2017, documentRef: '嵩政〔2017〕12号', adoptedOn: '2017-04-10', summaryZh: '整合 500.00万元', position: 9 } as never;
  it('recorded, or already recorded by the same request', () => {
    expect(integratedLine({ ...(plan as object), repeated: false } as never)).toBe(
      'recorded at store position 9 已记录：song 2017 整合方案 嵩政〔2017〕12号（2017-04-10印发）：整合 500.00万元',
    );
    expect(integratedLine({ ...(plan as object), repeated: true } as never)).toMatch(/^already recorded at store position 9 此前已记录：song 2017 整合方案/);
  });
});
