/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * The append function, second form (the first, in 20261129074500_event_store, is replaced; that
 * migration had already run on shared databases, so it is left as it ran).
 *
 * - No NOTIFY inside: a transaction that notifies holds a database-wide lock from pre-commit until its
 *   commit record is flushed, which serialised every appending commit (appends ran at a fifth of plain
 *   INSERTs). The caller notifies after commit (infra/eventstore/append.ts).
 * - No duplicate lookup on the hot path: a retried append is recognised after the fact, by the
 *   version conflict or by the unique index on event_id, and the caller looks the originals up.
 * - Arrays for what the loops walk, one INSERT for all events, refs from a map keyed by event id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS tuopin_append(jsonb, jsonb, timestamptz)`.execute(db);
  /*
   * One call, one round trip, one short transaction.
   *
   * Why the advisory locks come first: a transaction's xid is assigned at its first write, and the
   * tail orders by (xid, position). Taking every stream's lock (which needs no xid) before the first
   * write means that of two transactions writing one stream, the later writer also gets the larger
   * xid, so commit-order tailing also delivers each stream in version order. Locks are taken in hash
   * order so writers cannot deadlock.
   *
   * Errors: TU001 expected version conflict (DETAIL: JSON with the actual version); a stored event id
   * fails events_event_id_key (23505).
   */
  await sql`
    CREATE FUNCTION tuopin_append(
      p_stream_ids text[],
      p_expected text[],
      p_event_streams integer[],
      p_events jsonb,
      p_digests bytea[],
      p_refs jsonb,
      p_recorded_at timestamptz
    )
    RETURNS TABLE (event_id text, stream_id text, stream_version bigint, event_position bigint, duplicate boolean)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      n_streams constant integer := cardinality(p_stream_ids);
      n_events constant integer := cardinality(p_event_streams);
      si integer;
      i integer;
      sid text;
      expected text;
      cur_version bigint;
      cur_hash bytea;
      v bigint;
      h bytea;
      a_n integer[] := '{}';
      a_stream text[] := '{}';
      a_version bigint[] := '{}';
      a_prev bytea[] := '{}';
      a_hash bytea[] := '{}';
      genesis constant bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000';
    BEGIN
      IF n_streams = 1 THEN
        PERFORM pg_advisory_xact_lock(1953853296, hashtext(p_stream_ids[1]));
      ELSE
        PERFORM pg_advisory_xact_lock(1953853296, l.k)
           FROM (SELECT DISTINCT hashtext(x) AS k FROM unnest(p_stream_ids) x ORDER BY 1) l;
      END IF;

      FOR si IN 1 .. n_streams LOOP
        sid := p_stream_ids[si];
        expected := p_expected[si];
        SELECT st.version, st.head_hash INTO cur_version, cur_hash FROM streams st WHERE st.stream_id = sid;
        IF NOT FOUND THEN
          cur_version := 0;
          cur_hash := genesis;
        END IF;
        IF (expected = 'no-stream' AND cur_version <> 0)
           OR (expected = 'stream-exists' AND cur_version = 0)
           OR (expected NOT IN ('any', 'no-stream', 'stream-exists') AND cur_version <> expected::bigint) THEN
          RAISE EXCEPTION 'expected version % on stream %, found %', expected, sid, cur_version
            USING ERRCODE = 'TU001',
                  DETAIL = json_build_object('streamId', sid, 'expected', expected, 'actual', cur_version)::text;
        END IF;

        v := cur_version;
        h := cur_hash;
        FOR i IN 1 .. n_events LOOP
          IF p_event_streams[i] = si THEN
            v := v + 1;
            a_n := a_n || i;
            a_stream := a_stream || sid;
            a_version := a_version || v;
            a_prev := a_prev || h;
            h := sha256(h || p_digests[i]);
            a_hash := a_hash || h;
          END IF;
        END LOOP;

        IF v > cur_version THEN
          IF cur_version = 0 THEN
            INSERT INTO streams (stream_id, category, version, head_hash) VALUES (sid, split_part(sid, '-', 1), v, h);
          ELSE
            UPDATE streams st SET version = v, head_hash = h, updated_at = now() WHERE st.stream_id = sid AND st.version = cur_version;
            IF NOT FOUND THEN
              RAISE EXCEPTION 'stream % moved while locked', sid USING ERRCODE = 'TU001',
                DETAIL = json_build_object('streamId', sid, 'expected', expected, 'actual', null)::text;
            END IF;
          END IF;
        END IF;
      END LOOP;

      -- One statement for every event and its refs (p_refs: event id -> [[kind, id], ...]). A stored
      -- event id fails the unique index and the caller looks the originals up: retries are rare, so
      -- there is no lookup on the hot path.
      RETURN QUERY
        WITH ins AS (
          INSERT INTO events (stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
          SELECT u.sid, split_part(u.sid, '-', 1), u.ver, x.j->>'eventId', x.j->>'type', (x.j->>'schemaVersion')::int,
                 x.j->'data', x.j->'metadata', p_recorded_at, u.ph, u.hh
            FROM unnest(a_n, a_stream, a_version, a_prev, a_hash) AS u(n, sid, ver, ph, hh),
                 LATERAL (SELECT p_events->(u.n - 1) AS j) x
           ORDER BY u.n
          RETURNING events.position, events.event_id, events.stream_id, events.stream_version, events.tx_id
        ), r AS (
          INSERT INTO refs (kind, ref_id, tx_id, position)
          SELECT rr->>0, rr->>1, ins.tx_id, ins.position FROM ins, jsonb_array_elements(p_refs -> ins.event_id) rr
        )
        SELECT ins.event_id, ins.stream_id, ins.stream_version, ins.position, false FROM ins;
    END
    $fn$
  `.execute(db);

  await sql`REVOKE ALL ON FUNCTION tuopin_append(text[], text[], integer[], jsonb, bytea[], jsonb, timestamptz) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION tuopin_append(text[], text[], integer[], jsonb, bytea[], jsonb, timestamptz) TO tuopin_writer`.execute(db);
}

/** Leaves no append function: the first form is not restored (its in-transaction NOTIFY is the reason it went). */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION tuopin_append(text[], text[], integer[], jsonb, bytea[], jsonb, timestamptz)`.execute(db);
}
