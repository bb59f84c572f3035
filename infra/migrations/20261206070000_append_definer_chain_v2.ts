/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * The append function, fourth form: the only way into the store, and the database hashes what it stores.
 *
 * Why: the application role could INSERT correctly chained rows straight into `events` and `refs`,
 * and UPDATE `streams.head_hash`, bypassing every check of the append function; the content digest
 * was computed by the application and never checked; `refs` rows and an event's position were
 * covered by no hash (an outside review, issue 11 point 13).
 *
 * - The function is SECURITY DEFINER, owned by the NOLOGIN role `tuopin_store`, which alone may
 *   INSERT into `events` and `refs` and INSERT/UPDATE `streams`; `tuopin_writer` keeps SELECT and
 *   EXECUTE only. `search_path` is pinned so a caller's schema cannot shadow what it calls.
 * - The caller sends each event's data, metadata and refs as canonical JSON *text*; the function
 *   parses exactly that text into jsonb and rows, and hashes exactly that text: the stored values and
 *   the digest come from the same bytes. Text that is not canonical is stored as sent and then fails
 *   `tuopin verify`, which recomputes the canonical form from the stored values.
 * - Chain format 2 (column `chain_format`; rows written before stay format 1 and verify as before):
 *   the digest covers position, stream version and the event's refs besides the format-1 fields,
 *   and the store sets `recorded_at` itself (milliseconds, its own clock), so a caller cannot date an event.
 *   Positions are taken from the identity's sequence inside the function so they can be hashed.
 * - `refs_position` lets a verifier find each event's refs (the chain now covers them).
 */
const SIGNATURE = 'integer[], text[], text[], integer[], text[], text[], integer[], text[], text[], text[]';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$ BEGIN
      CREATE ROLE tuopin_store NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$;
  `.execute(db);
  // The migrating owner must be able to hand the function to tuopin_store (a superuser always can).
  await sql`
    DO $$ BEGIN
      IF NOT pg_has_role(current_user, 'tuopin_store', 'MEMBER') THEN
        EXECUTE format('GRANT tuopin_store TO %I', current_user);
      END IF;
    EXCEPTION WHEN unique_violation THEN NULL;
    END $$;
  `.execute(db);

  // A constant default: no table rewrite, rows already stored read as format 1.
  await sql`ALTER TABLE events ADD COLUMN chain_format smallint NOT NULL DEFAULT 1`.execute(db);
  await sql`CREATE INDEX refs_position ON refs (position)`.execute(db);

  await sql`
    CREATE FUNCTION tuopin_append_batch(
      p_groups integer[],
      p_stream_ids text[],
      p_expected text[],
      p_event_streams integer[],
      p_event_ids text[],
      p_types text[],
      p_schema_versions integer[],
      p_data text[],
      p_metadata text[],
      p_refs text[]
    )
    RETURNS TABLE (grp integer, event_id text, stream_id text, stream_version bigint, event_position bigint, expected_version text, actual_version bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
    DECLARE
      n_streams constant integer := cardinality(p_stream_ids);
      n_events constant integer := cardinality(p_event_streams);
      genesis constant bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000';
      recorded constant timestamptz := date_trunc('milliseconds', clock_timestamp());
      recorded_text constant text := to_char(recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
      s integer := 1;
      s_first integer;
      s_last integer;
      si integer;
      e integer := 1;
      g integer;
      bad integer;
      v bigint;
      h bytea;
      pos bigint;
      g_version bigint[] := '{}';
      g_hash bytea[] := '{}';
      a_n integer[] := '{}';
      a_stream text[] := '{}';
      a_version bigint[] := '{}';
      a_pos bigint[] := '{}';
      a_prev bytea[] := '{}';
      a_hash bytea[] := '{}';
    BEGIN
      IF cardinality(p_event_ids) <> n_events OR cardinality(p_types) <> n_events OR cardinality(p_schema_versions) <> n_events
         OR cardinality(p_data) <> n_events OR cardinality(p_metadata) <> n_events OR cardinality(p_refs) <> n_events THEN
        RAISE EXCEPTION 'one entry per event in every event array' USING ERRCODE = 'TU002';
      END IF;

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
            pos := nextval('public.events_position_seq');
            a_n := a_n || e;
            a_stream := a_stream || p_stream_ids[si];
            a_version := a_version || v;
            a_pos := a_pos || pos;
            a_prev := a_prev || h;
            -- Chain format 2: the canonical JSON of the event's covered fields, keys in code-unit
            -- order. The || operator (not concat) keeps a missing part NULL, and a NULL hash is refused.
            h := sha256(h || sha256(convert_to(
                   '{"data":' || p_data[e] ||
                   ',"eventId":' || to_json(p_event_ids[e])::text ||
                   ',"metadata":' || p_metadata[e] ||
                   ',"position":' || pos::text ||
                   ',"recordedAt":"' || recorded_text ||
                   '","refs":' || p_refs[e] ||
                   ',"schemaVersion":' || p_schema_versions[e]::text ||
                   ',"streamId":' || to_json(p_stream_ids[si])::text ||
                   ',"streamVersion":' || v::text ||
                   ',"type":' || to_json(p_types[e])::text || '}', 'UTF8')));
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
          INSERT INTO events (position, stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash, chain_format)
          OVERRIDING SYSTEM VALUE
          SELECT u.pos, u.sid, split_part(u.sid, '-', 1), u.ver, p_event_ids[u.n], p_types[u.n], p_schema_versions[u.n],
                 p_data[u.n]::jsonb, p_metadata[u.n]::jsonb, recorded, u.ph, u.hh, 2
            FROM unnest(a_n, a_stream, a_version, a_pos, a_prev, a_hash) AS u(n, sid, ver, pos, ph, hh)
           ORDER BY u.n
          RETURNING events.position, events.event_id, events.stream_id, events.stream_version
        ), r AS (
          INSERT INTO refs (kind, ref_id, tx_id, position)
          SELECT rr->>0, rr->>1, pg_current_xact_id(), u.pos
            FROM unnest(a_n, a_pos) AS u(n, pos), jsonb_array_elements(p_refs[u.n]::jsonb) rr
        )
        SELECT NULL::integer, ins.event_id, ins.stream_id, ins.stream_version, ins.position, NULL::text, NULL::bigint FROM ins;
    END
    $fn$
  `.execute(db);

  // Only tuopin_store writes the store's tables; the application calls the function.
  await sql`GRANT SELECT, INSERT ON events, refs TO tuopin_store`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON streams TO tuopin_store`.execute(db);
  await sql`GRANT USAGE, SELECT, UPDATE ON SEQUENCE events_position_seq TO tuopin_store`.execute(db);
  await sql.raw(`ALTER FUNCTION tuopin_append_batch(${SIGNATURE}) OWNER TO tuopin_store`).execute(db);
  await sql.raw(`REVOKE ALL ON FUNCTION tuopin_append_batch(${SIGNATURE}) FROM PUBLIC`).execute(db);
  await sql.raw(`GRANT EXECUTE ON FUNCTION tuopin_append_batch(${SIGNATURE}) TO tuopin_writer`).execute(db);
  await sql`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON events, refs, streams FROM tuopin_writer`.execute(db);
  await sql`REVOKE USAGE, UPDATE ON SEQUENCE events_position_seq FROM tuopin_writer`.execute(db);

  await sql`DROP FUNCTION tuopin_append_batch(integer[], text[], text[], integer[], jsonb, bytea[], jsonb, timestamptz[])`.execute(db);
}

/** Leaves no append function, like the third form's down: restoring the third form means rolling back further. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP FUNCTION tuopin_append_batch(${SIGNATURE})`).execute(db);
  await sql`GRANT INSERT ON events, refs TO tuopin_writer`.execute(db);
  await sql`GRANT INSERT, UPDATE ON streams TO tuopin_writer`.execute(db);
  await sql`DROP INDEX refs_position`.execute(db);
  await sql`ALTER TABLE events DROP COLUMN chain_format`.execute(db);
}
