import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { appendToStreams } from './append';
import { checkpointChains, ROW_DIGEST_FORMAT, rowDigestOf } from './chain-checkpoints';
import { verify } from './verify';
import { bundle, type FundSpec } from '../../bench/audit-fixtures';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { asSuperuser, rechain } from '../../test/support/tamper';
import { auditTrail, type AuditEntry } from '../../services/audit-trail';
import * as binaryDigest from '../migrations/20261207040000_chain_checkpoints_binary_digest';
import * as rowXmin from '../migrations/20261207070000_chain_checkpoints_row_xmin';

jest.setTimeout(120_000);

/**
 * The row digest a chain checkpoint proves a row by (format 2, binary columns), and the migration
 * that re-derived the first format's: every column the chain covers is in it, byte for byte; a
 * checkpoint's digest is re-derived only from a row that still matched its first-format digest.
 */
const F: FundSpec = { fundId: 'fund-song-2016-dg', countyId: 'song', year: 2016, projects: 4, perProject: 1_000_000, payments: 4 };

/** A database holding a fund's projects and payments (bundle), every chain checkpointed. */
const checkpointedFund = async (label: string, spec: FundSpec): Promise<TestDatabase> => {
  const d = await createTestDatabase(label);
  let version = 0;
  for (let p = 0; p < spec.projects; p += 2) version = (await appendToStreams(d.appDb, bundle(spec, p, p + 2, version).appends)).streamVersions[`fund-${spec.fundId}`]!;
  await checkpointChains(d.appDb);
  return d;
};

let t: TestDatabase;
beforeAll(async () => {
  t = await checkpointedFund('chaindigest', F);
});
afterAll(async () => {
  await t?.drop();
});

const COLUMNS = 'position, stream_id, stream_version, event_id, type, schema_version, chain_format, recorded_at, prev_hash, hash, metadata, data';

/** The digest of a stored row, and of the same row with some columns given as other expressions (nothing is written). */
const digestOf = async (position: string, changed: Record<string, string> = {}): Promise<string> => {
  const cols = COLUMNS.split(', ').map((c) => (changed[c] ? `${changed[c]} AS ${c}` : c));
  const { rows } = await sql<{ d: string }>`
    SELECT encode(${rowDigestOf()}, 'hex') AS d FROM (SELECT ${sql.raw(cols.join(', '))} FROM events WHERE position = ${position}) e`.execute(t.appDb);
  return rows[0]!.d;
};

describe('the row digest (format 2)', () => {
  it('changes with every column the chain covers and the stored hashes, and with bytes moved between two of them', async () => {
    const { rows } = await sql<{ position: string }>`SELECT position FROM events WHERE type = 'ProjectPaymentRecorded' ORDER BY position LIMIT 1`.execute(t.appDb);
    const p = rows[0]!.position;
    const base = await digestOf(p);
    const variants: Record<string, string>[] = [
      { position: 'position + 1' },
      { stream_id: "stream_id || 'x'" },
      { stream_version: 'stream_version + 1' },
      { event_id: "event_id || 'x'" },
      { type: "type || 'x'" },
      { schema_version: 'schema_version + 1' },
      { chain_format: '(chain_format + 1)::smallint' },
      // The chain covers the time to the millisecond; the digest, to the microsecond as stored.
      { recorded_at: "recorded_at + interval '1 microsecond'" },
      { prev_hash: "sha256('x')" },
      { hash: "sha256('x')" },
      { metadata: `metadata || '{"causationId": "elsewhere"}'` },
      { data: `data || '{"amount": 1}'` },
      // The same number written otherwise: one jsonb value to the chain's canonical JSON, not to its stored bytes.
      { data: `data || jsonb_build_object('amount', ((data->>'amount') || '.0')::numeric)` },
      // A character moved from one text column to the next, a byte from one hash to the other.
      { stream_id: 'stream_id || left(event_id, 1)', event_id: 'substr(event_id, 2)' },
      { event_id: 'event_id || left(type, 1)', type: 'substr(type, 2)' },
      { prev_hash: 'prev_hash || substr(hash, 1, 1)', hash: 'substr(hash, 2)' },
    ];
    const digests = await Promise.all(variants.map((v) => digestOf(p, v)));
    for (const [i, d] of digests.entries()) expect([variants[i], d]).not.toEqual([variants[i], base]);
    expect(new Set(digests).size).toBe(digests.length);
  });

  it('is what the checkpointer stores, with its format', async () => {
    const { rows } = await sql<{ n: string; same: string; formats: number[] }>`
      SELECT count(*) AS n, count(*) FILTER (WHERE c.row_digest = ${rowDigestOf()}) AS same, array_agg(DISTINCT c.digest_format) AS formats
        FROM chain_checkpoints c JOIN events e ON e.position = c.position`.execute(t.appDb);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ same: rows[0]!.n, formats: [ROW_DIGEST_FORMAT] });
  });
});

describe('migration 20261207040000: first-format digests re-derived', () => {
  const tamper = (c: Kysely<Database>, eventId: string) =>
    sql`UPDATE events SET data = jsonb_set(data, '{payee}', '"payee-song-elsewhere"') WHERE event_id = ${eventId}`.execute(c);

  it('re-derives a checkpoint whose row still matches; one whose row changed keeps format 1 and proves nothing', async () => {
    const before = await auditTrail(t.appDb, 'fund', F.fundId);
    expect(before.every((e) => e.proof.status === 'verified')).toBe(true);
    const [naive, rewritten] = [before.find((e) => e.type === 'ProjectPaymentRecorded')!, before.find((e) => e.type === 'FundDisbursed')!];
    // Back to the first format, as a store was before the migration; then one row changed naively, one with its stream rechained.
    await binaryDigest.down(t.adminDb);
    await asSuperuser(t.adminDb, async (c) => {
      await tamper(c, naive.eventId);
      await tamper(c, rewritten.eventId);
      await rechain(c, rewritten.streamId);
    });
    await binaryDigest.up(t.adminDb);

    const { rows } = await sql<{ event_id: string; digest_format: number; same: boolean }>`
      SELECT e.event_id, c.digest_format, c.row_digest = ${rowDigestOf()} AS same FROM chain_checkpoints c JOIN events e ON e.position = c.position`.execute(t.appDb);
    // Rechaining changed the hashes of every row after the rewritten one in its stream: those no longer match either.
    const changed = new Set([naive.eventId, ...before.filter((e) => e.streamId === rewritten.streamId && e.streamVersion >= rewritten.streamVersion).map((e) => e.eventId)]);
    for (const r of rows) expect(r).toEqual(changed.has(r.event_id) ? { ...r, digest_format: 1, same: false } : { ...r, digest_format: ROW_DIGEST_FORMAT, same: true });

    // The changed rows are walked and caught as before; every other entry is still proven.
    const after = await auditTrail(t.appDb, 'fund', F.fundId);
    const brokenAt = (victim: AuditEntry, e: AuditEntry, reason: string): boolean =>
      e.streamId === victim.streamId &&
      (e.eventId === victim.eventId ? e.proof.reason === reason : e.streamVersion > victim.streamVersion && e.proof.reason === 'after-broken-link');
    for (const e of after) {
      if (e.streamId === naive.streamId && e.streamVersion >= naive.streamVersion) expect(brokenAt(naive, e, 'hash-mismatch')).toBe(true);
      else if (e.streamId === rewritten.streamId && e.streamVersion >= rewritten.streamVersion) expect(brokenAt(rewritten, e, 'checkpoint-mismatch')).toBe(true);
      else expect(e).toEqual(before.find((b) => b.eventId === e.eventId));
    }
    const report = await verify(t.appDb, { collectBroken: true });
    expect(report.brokenLinks!.map((b) => [b.eventId, b.reason]).sort()).toEqual(
      [
        [naive.eventId, 'hash-mismatch'],
        [rewritten.eventId, 'checkpoint-mismatch'],
      ].sort(),
    );
  });

  it('leaves no default: a checkpoint added without saying its digest format is refused', async () => {
    await expect(
      sql`INSERT INTO chain_checkpoints (position, stream_id, stream_version, hash, row_digest, refs) VALUES (-1, 'x', 1, sha256('x'), sha256('x'), '{}')`.execute(t.appDb),
    ).rejects.toMatchObject({ code: '23502' });
  });
});

describe('row versions (migration 20261207070000): a checkpointed row proven without its digest while it is the version checkpointed', () => {
  const G: FundSpec = { ...F, fundId: 'fund-song-2016-dx' };
  let u: TestDatabase;
  beforeAll(async () => {
    u = await checkpointedFund('rowxmin', G);
  });
  afterAll(async () => {
    await u?.drop();
  });

  const versions = async (): Promise<Map<string, { kept: string | null; now: string }>> => {
    const { rows } = await sql<{ event_id: string; kept: string | null; now: string }>`
      SELECT e.event_id, c.row_xmin::text AS kept, e.xmin::text AS now FROM chain_checkpoints c JOIN events e ON e.position = c.position`.execute(u.appDb);
    return new Map(rows.map((r) => [r.event_id, { kept: r.kept, now: r.now }]));
  };

  it('a row written again with the same values is proven by its digest; a changed one is walked and caught; the migration keeps a version only where the digest holds', async () => {
    const before = await auditTrail(u.appDb, 'fund', G.fundId);
    expect(before.every((e) => e.proof.status === 'verified')).toBe(true);
    expect([...(await versions()).values()].every((v) => v.kept === v.now)).toBe(true);

    const [same, victim] = [before.find((e) => e.type === 'FundDisbursed')!, before.find((e) => e.type === 'ProjectPaymentRecorded')!];
    await asSuperuser(u.adminDb, async (c) => {
      // A new row version with the very same columns (as a restore writes them), and a naive tamper.
      await sql`UPDATE events SET data = data WHERE event_id = ${same.eventId}`.execute(c);
      await sql`UPDATE events SET data = jsonb_set(data, '{payee}', '"payee-song-elsewhere"') WHERE event_id = ${victim.eventId}`.execute(c);
    });
    const moved = await versions();
    expect(moved.get(same.eventId)!.now).not.toBe(moved.get(same.eventId)!.kept);
    expect(moved.get(victim.eventId)!.now).not.toBe(moved.get(victim.eventId)!.kept);

    const after = await auditTrail(u.appDb, 'fund', G.fundId);
    for (const e of after) {
      if (e.streamId === victim.streamId && e.streamVersion >= victim.streamVersion)
        expect(e.proof.reason).toBe(e.eventId === victim.eventId ? 'hash-mismatch' : 'after-broken-link');
      else expect(e).toEqual(before.find((b) => b.eventId === e.eventId));
    }

    // The migration run again: the rewritten row's checkpoint takes its new version (its digest holds), the tampered one's none.
    await rowXmin.down(u.adminDb);
    await rowXmin.up(u.adminDb);
    for (const [eventId, v] of await versions()) expect([eventId, v.kept]).toEqual([eventId, eventId === victim.eventId ? null : v.now]);
    expect(await auditTrail(u.appDb, 'fund', G.fundId)).toEqual(after);
  });
});
