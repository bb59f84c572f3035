/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * The append function, third form: several independent appends in one call and one transaction.
 *
 * Why: a single-event append spent most of its time on what every transaction pays (the call, the
 * commit, the WAL flush), not on the event. Appends that arrive while others are in flight are
 * sent together (infra/eventstore/append-batcher.ts) and share those costs. Each append in a call
 * stays atomic on its own: one whose expected version does not hold is skipped and reported, the
 * others are written, exactly as if they had run one after another in the order given.
 *
 * Streams are listed group by group (`p_groups`: the 1-based append each stream belongs to, in
 * order), events stream by stream (`p_event_streams` never decreases). Every stream of every group
 * is locked before the first write, in hash order, so the xid is still taken after the locks (see
 * the second form for why commit-order tailing needs that). A later group sees an earlier group's
 * writes to a shared stream.
 *
 * Answers: one row per written event (`grp` null), and one row per skipped group carrying the
 * stream that failed with the expected and actual versions. A stored event id still fails
 * events_event_id_key (23505) for the whole call: the caller then runs each append alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION tuopin_append_batch(
      p_groups integer[],
      p_stream_ids text[],
      p_expected text[],
      p_event_streams integer[],
      p_events jsonb,
      p_digests bytea[],
      p_refs jsonb,
      p_recorded_at timestamptz[]
    )
    RETURNS TABLE (grp integer, event_id text, stream_id text, stream_version bigint, event_position bigint, expected_version text, actual_version bigint)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      n_streams constant integer := cardinality(p_stream_ids);
      n_events constant integer := cardinality(p_event_streams);
      genesis constant bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000';
      s integer := 1;
      s_first integer;
      s_last integer;
      si integer;
      e integer := 1;
      g integer;
      bad integer;
      v bigint;
      h bytea;
      g_version bigint[] := '{}';
      g_hash bytea[] := '{}';
      a_n integer[] := '{}';
      a_stream text[] := '{}';
      a_version bigint[] := '{}';
      a_prev bytea[] := '{}';
      a_hash bytea[] := '{}';
    BEGIN
      IF n_streams = 1 THEN
        PERFORM pg_advisory_xact_lock(1953853296, hashtext(p_stream_ids[1]));
      ELSE
        PERFORM pg_advisory_xact_lock(1953853296, l.k)
           FROM (SELECT DISTINCT hashtext(x) AS k FROM unnest(p_stream_ids) x ORDER BY 1) l;
      END IF;

      WHILE s <= n_streams LOOP
        g := p_groups[s];
        s_first := s;
        WHILE s <= n_streams AND p_groups[s] = g LOOP
          s := s + 1;
        END LOOP;
        s_last := s - 1;

        bad := NULL;
        FOR si IN s_first .. s_last LOOP
          SELECT st.version, st.head_hash INTO v, h FROM streams st WHERE st.stream_id = p_stream_ids[si];
          IF NOT FOUND THEN
            v := 0;
            h := genesis;
          END IF;
          g_version[si] := v;
          g_hash[si] := h;
          IF (p_expected[si] = 'no-stream' AND v <> 0)
             OR (p_expected[si] = 'stream-exists' AND v = 0)
             OR (p_expected[si] NOT IN ('any', 'no-stream', 'stream-exists') AND v <> p_expected[si]::bigint) THEN
            bad := si;
            EXIT;
          END IF;
        END LOOP;

        IF bad IS NOT NULL THEN
          WHILE e <= n_events AND p_event_streams[e] <= s_last LOOP
            e := e + 1;
          END LOOP;
          grp := g;
          event_id := NULL;
          stream_id := p_stream_ids[bad];
          stream_version := NULL;
          event_position := NULL;
          expected_version := p_expected[bad];
          actual_version := g_version[bad];
          RETURN NEXT;
          CONTINUE;
        END IF;

        FOR si IN s_first .. s_last LOOP
          v := g_version[si];
          h := g_hash[si];
          WHILE e <= n_events AND p_event_streams[e] = si LOOP
            v := v + 1;
            a_n := a_n || e;
            a_stream := a_stream || p_stream_ids[si];
            a_version := a_version || v;
            a_prev := a_prev || h;
            h := sha256(h || p_digests[e]);
            a_hash := a_hash || h;
            e := e + 1;
          END LOOP;
          IF v > g_version[si] THEN
            IF g_version[si] = 0 THEN
              INSERT INTO streams (stream_id, category, version, head_hash) VALUES (p_stream_ids[si], split_part(p_stream_ids[si], '-', 1), v, h);
            ELSE
              UPDATE streams st SET version = v, head_hash = h, updated_at = now() WHERE st.stream_id = p_stream_ids[si] AND st.version = g_version[si];
              IF NOT FOUND THEN
                RAISE EXCEPTION 'stream % moved while locked', p_stream_ids[si] USING ERRCODE = 'TU001',
                  DETAIL = json_build_object('streamId', p_stream_ids[si], 'expected', p_expected[si], 'actual', null)::text;
              END IF;
            END IF;
          END IF;
        END LOOP;
      END LOOP;

      IF e <> n_events + 1 THEN
        RAISE EXCEPTION 'events must be listed stream by stream, in the order of p_stream_ids' USING ERRCODE = 'TU002';
      END IF;

      RETURN QUERY
        WITH ins AS (
          INSERT INTO events (stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
          SELECT u.sid, split_part(u.sid, '-', 1), u.ver, x.j->>'eventId', x.j->>'type', (x.j->>'schemaVersion')::int,
                 x.j->'data', x.j->'metadata', p_recorded_at[u.n], u.ph, u.hh
            FROM unnest(a_n, a_stream, a_version, a_prev, a_hash) AS u(n, sid, ver, ph, hh),
                 LATERAL (SELECT p_events->(u.n - 1) AS j) x
           ORDER BY u.n
          RETURNING events.position, events.event_id, events.stream_id, events.stream_version, events.tx_id
        ), r AS (
          INSERT INTO refs (kind, ref_id, tx_id, position)
          SELECT rr->>0, rr->>1, ins.tx_id, ins.position FROM ins, jsonb_array_elements(p_refs -> ins.event_id) rr
        )
        SELECT NULL::integer, ins.event_id, ins.stream_id, ins.stream_version, ins.position, NULL::text, NULL::bigint FROM ins;
    END
    $fn$
  `.execute(db);
  await sql`REVOKE ALL ON FUNCTION tuopin_append_batch(integer[], text[], text[], integer[], jsonb, bytea[], jsonb, timestamptz[]) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION tuopin_append_batch(integer[], text[], text[], integer[], jsonb, bytea[], jsonb, timestamptz[]) TO tuopin_writer`.execute(db);
  // One append function: the one-append form is a batch of one now.
  await sql`DROP FUNCTION tuopin_append(text[], text[], integer[], jsonb, bytea[], jsonb, timestamptz)`.execute(db);
}

/** Leaves no append function, like the second form's down: restoring the one-append form means rolling back further. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION tuopin_append_batch(integer[], text[], text[], integer[], jsonb, bytea[], jsonb, timestamptz[])`.execute(db);
}
