import type { Fen } from '../domain/shared/money';
import type { Actor } from '../domain/shared/actor';
import { balanced, type FundState } from '../domain/fund';
import { loadFund } from '../activities/fund-streams';
import { appropriateFund } from './appropriate-fund';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { runFundCommand, type FundCommandOnFund } from './fund-commands';

const FINANCE: Actor = { userId: 'qian.li', role: 'county-finance', countyId: 'song' };
const meta = () => ({ actor: FINANCE, now: new Date().toISOString() });
const giveBack = (fundId: string, amount: number, reason = '结余收回'): FundCommandOnFund => ({
  type: 'ReturnFund',
  data: { fundId, amount: amount as Fen, reason },
  meta: meta(),
});

describe('fund commands against the store: read, decide, append at the version read', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('fund-cmds');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const open = async (fundId: string, amount: number) => {
    const r = await appropriateFund(db.appDb, {
      type: 'AppropriateFund',
      data: { fundId, source: 'central', fiscalYear: 2016, countyId: 'song', documentNumber: '豫财农〔2016〕9号', amount: amount as Fen, earmark: ['transport'] },
      meta: meta(),
    });
    expect(r.ok).toBe(true);
  };

  it('twenty returns at once, each under its own request id, all land (conflicts retried) and the books balance to the fen', async () => {
    const fundId = 'fund-song-2016-race';
    await open(fundId, 1_000_000);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => runFundCommand(db.appDb, giveBack(fundId, 1001 + i), { requestId: `ret-${i}` })));
    expect(results.every((r) => r.ok && !r.duplicate)).toBe(true);
    const { state, events } = await loadFund(db.appDb, fundId);
    const s = state as Exclude<FundState, { status: 'none' }>;
    const total = Array.from({ length: 20 }, (_, i) => 1001 + i).reduce((a, b) => a + b, 0);
    expect(s.returned).toBe(total);
    expect(s.available).toBe(1_000_000 - total);
    expect(balanced(s)).toBe(true);
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it('the same request id again, even at once, is answered with the first event and returns nothing twice', async () => {
    const fundId = 'fund-song-2016-twice';
    await open(fundId, 100_000);
    const [a, b] = await Promise.all([
      runFundCommand(db.appDb, giveBack(fundId, 30_000), { requestId: 'r-1' }),
      runFundCommand(db.appDb, giveBack(fundId, 30_000), { requestId: 'r-1' }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.eventId).toBe(b.eventId);
    expect(a.position).toBe(b.position);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    const { state } = await loadFund(db.appDb, fundId);
    expect((state as Exclude<FundState, { status: 'none' }>).returned).toBe(30_000);

    // A freeze repeated after the fund was frozen is the same request, not a refusal.
    const freeze: FundCommandOnFund = { type: 'FreezeFund', data: { fundId, reason: '检查' }, meta: meta() };
    const f1 = await runFundCommand(db.appDb, freeze, { requestId: 'f-1' });
    const f2 = await runFundCommand(db.appDb, freeze, { requestId: 'f-1' });
    expect(f2).toEqual({ ...f1, duplicate: true });
    const f3 = await runFundCommand(db.appDb, freeze, { requestId: 'f-2' });
    expect(f3).toMatchObject({ ok: false, error: { code: 'FUND_ALREADY_FROZEN' } });
  });

  it('a refusal writes nothing: no such fund, another county, more than is available', async () => {
    const fundId = 'fund-song-2016-refuse';
    await open(fundId, 500);
    const stranger: Actor = { userId: 'fin.luanchuan', role: 'county-finance', countyId: 'luanchuan' };
    expect(await runFundCommand(db.appDb, giveBack('fund-song-2016-nosuch', 1))).toMatchObject({ ok: false, error: { code: 'FUND_NOT_FOUND' } });
    expect(await runFundCommand(db.appDb, { ...giveBack(fundId, 1), meta: { actor: stranger, now: new Date().toISOString() } })).toMatchObject({
      ok: false,
      error: { code: 'ACCESS_OUT_OF_COUNTY' },
    });
    expect(await runFundCommand(db.appDb, giveBack(fundId, 501))).toMatchObject({ ok: false, error: { code: 'FUND_INSUFFICIENT' } });
    expect((await loadFund(db.appDb, fundId)).version).toBe(1);
  });
});
