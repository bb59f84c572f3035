import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { appendToStreams } from '../infra/eventstore';
import { checkpointChains } from '../infra/eventstore/chain-checkpoints';
import { verify } from '../infra/eventstore/verify';
import { bundle, type FundSpec } from '../bench/audit-fixtures';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { asSuperuser as asOwner, rechain } from '../test/support/tamper';
import { auditCsv, auditTrail, auditTrailPage, planTrail, policyOf, trailCsv, type AuditEntry } from './audit-trail';

jest.setTimeout(120_000);

/**
 * Proofs from chain checkpoints (issue 18): a trail proves a checkpointed event by its row digest
 * and walks only from the nearest checkpoint; these say it answers what the walk from genesis
 * answers, pages cover the trail exactly once, and a tampered row is caught before and after a checkpoint.
 */
const fund = (serial: string, projects: number): FundSpec => ({ fundId: `fund-song-2016-cp${serial}`, countyId: 'song', year: 2016, projects, perProject: 1_000_000, payments: 4 });
const A = fund('a', 6);
const B = fund('b', 4);
const C = fund('c', 4);

let t: TestDatabase;
const versions = new Map<string, number>();
const add = async (f: FundSpec, from: number, to: number): Promise<void> => {
  const r = await appendToStreams(t.appDb, bundle(f, from, to, versions.get(f.fundId) ?? 0).appends);
  versions.set(f.fundId, r.streamVersions[`fund-${f.fundId}`]!);
};

beforeAll(async () => {
  t = await createTestDatabase('trailcp');
  for (const f of [A, B, C]) for (let p = 0; p < f.projects; p += 2) await add(f, p, p + 2);
});
afterAll(async () => {
  await t?.drop();
});

const asSuperuser = (work: (c: Kysely<Database>) => Promise<void>): Promise<void> => asOwner(t.adminDb, work);

/** A naive tamper: the data changes, the stored hashes do not. */
const tamper = (eventId: string): Promise<void> =>
  asSuperuser(async (c) => {
    await sql`UPDATE events SET data = jsonb_set(data, '{payee}', '"payee-song-elsewhere"') WHERE event_id = ${eventId}`.execute(c);
  });

/** A consistent rewrite: the data changes and every hash of the stream from genesis is recomputed, the head too. */
const rewrite = (streamId: string, eventId: string): Promise<void> =>
  asSuperuser(async (c) => {
    await sql`UPDATE events SET data = jsonb_set(data, '{payee}', '"payee-song-elsewhere"') WHERE event_id = ${eventId}`.execute(c);
    await rechain(c, streamId);
  });

let fromGenesis: Record<string, AuditEntry[]>;
const fromGenesisOf = (fundId: string): AuditEntry[] => fromGenesis[fundId]!;

describe('a trail proven from chain checkpoints', () => {
  it('answers exactly what the walk from genesis answers, entries and proofs', async () => {
    // No checkpoint yet: every stream is walked from genesis, as before checkpoints.
    fromGenesis = Object.fromEntries(await Promise.all([A, B, C].map(async (f) => [f.fundId, await auditTrail(t.appDb, 'fund', f.fundId)] as const)));
    expect(fromGenesis[A.fundId]).toHaveLength(1 + 2 * A.projects * (1 + A.payments));
    expect(fromGenesis[A.fundId]!.every((e) => e.proof.status === 'verified')).toBe(true);

    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(t.appDb);
    const first = await checkpointChains(t.appDb, { eventsPerStatement: 7 });
    expect(first).toMatchObject({ added: Number(rows[0]!.n), broken: [] });
    expect(await checkpointChains(t.appDb)).toMatchObject({ streams: 0, added: 0 });

    for (const f of [A, B, C]) expect(await auditTrail(t.appDb, 'fund', f.fundId)).toEqual(fromGenesis[f.fundId]);
    expect(await verify(t.appDb)).toMatchObject({ ok: true, broken: 0 });
  });

  it('renders each entry as the service did in this process: policies named by policyOf, times and ids as stored', async () => {
    const entries = fromGenesis[A.fundId]!;
    expect(entries.filter((e) => e.policyVersion !== null).length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.policyVersion).toBe(policyOf(e.data));
      expect(new Date(e.recordedAt).toISOString()).toBe(e.recordedAt);
    }
    expect(entries.find((e) => e.type === 'ProjectPaymentRecorded')).toMatchObject({
      countyId: 'song',
      role: 'county-finance',
      businessDate: '2016-06-01',
      policyVersion: 'payment-template@1, payment-negative-list@1',
      workflowId: expect.stringMatching(/^project-prj-song-2016-/),
      runId: expect.any(String),
    });
  });

  it('streams the CSV PostgreSQL renders cell for cell as auditCsv renders the entries (data as the same JSON)', async () => {
    const entries = fromGenesis[A.fundId]!;
    let streamed = '';
    for await (const part of trailCsv(await planTrail(t.appDb, 'fund', A.fundId, { limit: 20_000 }, 'csv'))) streamed += part;
    const cells = (line: string): string[] => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
    const got = streamed.split('\r\n');
    const want = auditCsv(entries).split('\r\n');
    expect(got).toHaveLength(want.length);
    expect(got[0]).toBe(want[0]);
    for (let i = 1; i < want.length - 1; i++) {
      const [g, w] = [cells(got[i]!), cells(want[i]!)];
      expect(g.slice(0, -1)).toEqual(w.slice(0, -1));
      expect(JSON.parse(g.at(-1)!)).toEqual(JSON.parse(w.at(-1)!));
    }
  });

  it('pages cover the whole trail exactly once, in order, with the same proofs', async () => {
    const whole = fromGenesis[A.fundId]!;
    for (const limit of [1, 7, 60, 20_000]) {
      const paged: AuditEntry[] = [];
      let after: string | undefined;
      for (;;) {
        const p = await auditTrailPage(t.appDb, 'fund', A.fundId, { limit, ...(after ? { after } : {}) });
        expect(p.entries.length).toBeLessThanOrEqual(limit);
        paged.push(...p.entries);
        if (p.next === null) break;
        after = p.next;
      }
      expect(new Set(paged.map((e) => e.eventId)).size).toBe(paged.length);
      expect(paged).toEqual(whole);
    }
  });

  it('the checkpoints are append-only: the owner cannot change or remove one, the application cannot either', async () => {
    await expect(sql`UPDATE chain_checkpoints SET hash = hash`.execute(t.adminDb)).rejects.toMatchObject({ code: 'TU010' });
    await expect(sql`DELETE FROM chain_checkpoints`.execute(t.adminDb)).rejects.toMatchObject({ code: 'TU010' });
    await expect(sql`UPDATE chain_checkpoints SET hash = hash`.execute(t.appDb)).rejects.toMatchObject({ code: '42501' });
  });

  it('catches a row tampered after the last checkpoint: walked from that checkpoint, its link does not recompute', async () => {
    // Two more projects of fund C: its fund stream goes on past its checkpoints, the new project streams have none.
    await add(C, C.projects, C.projects + 2);
    const trail = await auditTrail(t.appDb, 'fund', C.fundId);
    const victim = trail.filter((e) => e.type === 'FundDisbursed').at(-3)!;
    await tamper(victim.eventId);
    const after = await auditTrail(t.appDb, 'fund', C.fundId);
    for (const e of after) {
      if (e.eventId === victim.eventId) expect(e.proof).toMatchObject({ status: 'broken', reason: 'hash-mismatch' });
      else if (e.streamId === victim.streamId && e.streamVersion > victim.streamVersion) expect(e.proof).toMatchObject({ status: 'broken', reason: 'after-broken-link' });
      else expect(e.proof.status).toBe('verified');
    }
    // The checkpointer stops at the broken link: nothing at or after it is checkpointed.
    const cp = await checkpointChains(t.appDb);
    expect(cp.broken).toEqual([{ streamId: victim.streamId, streamVersion: victim.streamVersion, position: victim.position, reason: 'hash-mismatch' }]);
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM chain_checkpoints WHERE stream_id = ${victim.streamId} AND stream_version >= ${victim.streamVersion}`.execute(t.appDb);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('catches a checkpointed row tampered later: its row digest changed, so it is walked from the checkpoint before it', async () => {
    const victim = fromGenesis[A.fundId]!.find((e) => e.type === 'ProjectPaymentRecorded' && e.streamVersion === 10)!;
    await tamper(victim.eventId);
    const after = await auditTrail(t.appDb, 'fund', A.fundId);
    for (const e of after) {
      if (e.eventId === victim.eventId) expect(e.proof).toMatchObject({ status: 'broken', reason: 'hash-mismatch' });
      else if (e.streamId === victim.streamId && e.streamVersion > victim.streamVersion) expect(e.proof).toMatchObject({ status: 'broken', reason: 'after-broken-link' });
      else expect(e.proof.status).toBe('verified');
    }
    expect(await verifyStream(victim.streamId)).toMatchObject({ eventId: victim.eventId, reason: 'hash-mismatch' });
  });

  it('catches a checkpointed row rewritten with hashes that recompute: the recomputed hash is not the checkpoint', async () => {
    const victim = fromGenesis[B.fundId]!.find((e) => e.type === 'FundDisbursed' && e.streamVersion === 8)!;
    await rewrite(victim.streamId, victim.eventId);
    const after = await auditTrail(t.appDb, 'fund', B.fundId);
    for (const e of after) {
      if (e.eventId === victim.eventId) expect(e.proof).toMatchObject({ status: 'broken', reason: 'checkpoint-mismatch' });
      else if (e.streamId === victim.streamId && e.streamVersion > victim.streamVersion) expect(e.proof).toMatchObject({ status: 'broken', reason: 'after-broken-link' });
      else expect(e.proof.status).toBe('verified');
    }
    // The walk from genesis recomputes every link cleanly, and says the checkpoint does not agree.
    expect(await verifyStream(victim.streamId)).toMatchObject({ eventId: victim.eventId, reason: 'checkpoint-mismatch' });
  });

  it('catches a checkpointed event attached to another trail by a refs row added behind the append function', async () => {
    const foreign = fromGenesis[C.fundId]!.find((e) => e.type === 'FundDisbursed')!;
    await asSuperuser(async (c) => {
      await sql`INSERT INTO refs (kind, ref_id, tx_id, position) SELECT 'fund', ${A.fundId}, tx_id, position FROM events WHERE event_id = ${foreign.eventId}`.execute(c);
    });
    const trail = await auditTrail(t.appDb, 'fund', A.fundId);
    // Its checkpoint does not hold the ref, so it is walked: its hash (chain format 2 covers refs) does not recompute.
    expect(trail.find((e) => e.eventId === foreign.eventId)?.proof).toMatchObject({ status: 'broken', reason: 'hash-mismatch' });
  });

  it("a tampered row outside a trail's answer is caught by its own trail and by verify, and leaves the answer's own rows proven", async () => {
    const victim = fromGenesis[C.fundId]!.find((e) => e.type === 'ProjectFundingRecorded')!;
    const proposal = (await auditTrail(t.appDb, 'project', victim.streamId.slice('project-'.length))).find((e) => e.streamVersion === 1)!;
    await tamper(proposal.eventId);
    const fundTrail = await auditTrail(t.appDb, 'fund', C.fundId);
    expect(fundTrail.filter((e) => e.streamId === victim.streamId).every((e) => e.proof.status === 'verified')).toBe(true);
    const projectTrail = await auditTrail(t.appDb, 'project', victim.streamId.slice('project-'.length));
    expect(projectTrail.find((e) => e.eventId === proposal.eventId)?.proof).toMatchObject({ status: 'broken', reason: 'hash-mismatch' });
    expect(projectTrail.filter((e) => e.streamId === victim.streamId && e.streamVersion > 1).every((e) => e.proof.reason === 'after-broken-link')).toBe(true);
    expect(await verifyStream(victim.streamId)).toMatchObject({ eventId: proposal.eventId, reason: 'hash-mismatch' });
  });
});

describe('commit order across transaction ids of different lengths', () => {
  it('orders and pages by transaction id as a number (999 before 1000), not as text', async () => {
    const [first, second] = fromGenesisOf(A.fundId).slice(0, 2);
    // Refs rows as a superuser writes them (tx ids chosen), so that the ids differ in length.
    await asSuperuser(async (c) => {
      await sql`INSERT INTO refs (kind, ref_id, tx_id, position) VALUES ('household', 'hh-song-order', '999'::xid8, ${first!.position}), ('household', 'hh-song-order', '1000'::xid8, ${second!.position})`.execute(
        c,
      );
    });
    expect((await auditTrail(t.appDb, 'household', 'hh-song-order')).map((e) => e.position)).toEqual([first!.position, second!.position]);
    const p1 = await auditTrailPage(t.appDb, 'household', 'hh-song-order', { limit: 1 });
    const p2 = await auditTrailPage(t.appDb, 'household', 'hh-song-order', { limit: 1, after: p1.next! });
    expect([...p1.entries, ...p2.entries].map((e) => e.position)).toEqual([first!.position, second!.position]);
    expect(p2.next).toBeNull();
  });
});

/** The broken link verify reports in one stream (it reports the first of each). */
const verifyStream = async (streamId: string): Promise<unknown> => (await verify(t.appDb, { collectBroken: true })).brokenLinks!.find((b) => b.streamId === streamId);
