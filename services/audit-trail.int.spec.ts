import { sql } from 'kysely';
import { appendToStreams, readByRef } from '../infra/eventstore';
import { bundle, TRAIL_FUND } from '../bench/audit-fixtures';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { auditCsv, auditTrail, auditTrailPage, TRAIL_PAGE_MAX } from './audit-trail';
import { asSuperuser } from '../test/support/tamper';

/**
 * The whole trail of a fund with more events than one page of the refs index used to hold
 * (10,000): 200 projects, each an allocation and 24 payments recorded on two streams.
 */
describe('audit trail of a fund with 10,001 events', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('trailwhole');
    let version = 0;
    for (let p = 0; p < TRAIL_FUND.projects; p += 20) {
      const r = await appendToStreams(db.appDb, bundle(TRAIL_FUND, p, p + 20, version).appends);
      version = r.streamVersions[`fund-${TRAIL_FUND.fundId}`]!;
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('lists every event once, in commit order, each proven', async () => {
    const trail = await auditTrail(db.appDb, 'fund', TRAIL_FUND.fundId);
    const indexed = await readByRef(db.appDb, 'fund', TRAIL_FUND.fundId, { limit: 20_000 });
    expect(indexed).toHaveLength(10_001);
    expect(trail.map((e) => e.eventId)).toEqual(indexed.map((e) => e.eventId));
    expect(trail.every((e) => e.proof.status === 'verified')).toBe(true);
    expect(trail.filter((e) => e.type === 'FundDisbursed').reduce((s, e) => s + (e.data as { amount: number }).amount, 0)).toBe(TRAIL_FUND.projects * TRAIL_FUND.perProject);
    expect(auditCsv(trail).trim().split('\r\n')).toHaveLength(10_002);
  });

  it('pages the trail: bounded pages whose entries, one after the other, are the whole trail with the same proofs', async () => {
    const whole = await auditTrail(db.appDb, 'fund', TRAIL_FUND.fundId);
    const paged: typeof whole = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const p = await auditTrailPage(db.appDb, 'fund', TRAIL_FUND.fundId, { limit: TRAIL_PAGE_MAX, ...(after ? { after } : {}) });
      expect(p.entries.length).toBeLessThanOrEqual(TRAIL_PAGE_MAX);
      paged.push(...p.entries);
      pages++;
      if (p.next === null) break;
      after = p.next;
    }
    expect(pages).toBe(Math.ceil(10_001 / TRAIL_PAGE_MAX));
    expect(paged).toEqual(whole);
    // A small page in the middle: the same entries as the whole trail has there.
    const first = await auditTrailPage(db.appDb, 'fund', TRAIL_FUND.fundId, { limit: 7 });
    const second = await auditTrailPage(db.appDb, 'fund', TRAIL_FUND.fundId, { limit: 7, after: first.next! });
    expect([...first.entries, ...second.entries]).toEqual(whole.slice(0, 14));
  });

  it('shows a tampered project event broken, and the project stream after it, while the fund stream stays proven', async () => {
    const before = await auditTrail(db.appDb, 'fund', TRAIL_FUND.fundId);
    const victim = before.find((e) => e.type === 'ProjectPaymentRecorded' && e.streamVersion === 20)!;
    await asSuperuser(db.adminDb, async (c) => {
      await sql`UPDATE events SET data = jsonb_set(data, '{payee}', '"payee-song-elsewhere"') WHERE event_id = ${victim.eventId}`.execute(c);
    });
    const after = await auditTrail(db.appDb, 'fund', TRAIL_FUND.fundId);
    for (const e of after) {
      if (e.eventId === victim.eventId) expect(e.proof).toMatchObject({ status: 'broken', reason: 'hash-mismatch' });
      else if (e.streamId === victim.streamId && e.streamVersion > victim.streamVersion) expect(e.proof).toMatchObject({ status: 'broken', reason: 'after-broken-link' });
      else expect(e.proof.status).toBe('verified');
    }
    expect(after.find((e) => e.eventId === victim.eventId)?.data).toMatchObject({ payee: 'payee-song-elsewhere' });
  });
});
