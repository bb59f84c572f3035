/* eslint-disable @typescript-eslint/no-explicit-any -- migrations take Kysely<any>: they must not depend on the app's current table types. */
import { sql, type Kysely } from 'kysely';

/**
 * The event store: events, streams, refs, the append function and the append-only guards.
 *
 * Privileges go to the NOLOGIN group role `tuopin_writer`; runMigrations makes the application's
 * LOGIN role (the user in DATABASE_URL) a member. Roles are cluster-wide and test databases are
 * created concurrently, so creating the group tolerates losing the race.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$ BEGIN
      CREATE ROLE tuopin_writer NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$;
  `.execute(db);

  await sql`
    CREATE TABLE streams (
      stream_id text PRIMARY KEY,
      category text NOT NULL CHECK (category = split_part(stream_id, '-', 1)),
      version bigint NOT NULL CHECK (version >= 0),
      head_hash bytea NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE events (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      stream_id text NOT NULL,
      category text NOT NULL CHECK (category = split_part(stream_id, '-', 1)),
      stream_version bigint NOT NULL CHECK (stream_version >= 1),
      event_id text NOT NULL,
      type text NOT NULL,
      schema_version integer NOT NULL CHECK (schema_version >= 1),
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL,
      prev_hash bytea NOT NULL,
      hash bytea NOT NULL,
      CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
      CONSTRAINT events_event_id_key UNIQUE (event_id)
    )
  `.execute(db);
  // The tail's poll "(tx_id, position) > cursor AND tx_id < xmin ORDER BY tx_id, position" is a range scan of this.
  await sql`CREATE INDEX events_tx_id_position ON events (tx_id, position)`.execute(db);

  await sql`
    CREATE TABLE refs (
      kind text NOT NULL,
      ref_id text NOT NULL,
      tx_id xid8 NOT NULL,
      position bigint NOT NULL,
      PRIMARY KEY (kind, ref_id, tx_id, position)
    )
  `.execute(db);

  await sql`
    CREATE FUNCTION tuopin_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% on % is refused: the event store is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'TU010';
    END $$
  `.execute(db);
  for (const table of ['events', 'refs']) {
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_refuse_update_delete`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION tuopin_refuse_change()
    `.execute(db);
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_refuse_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION tuopin_refuse_change()
    `.execute(db);
  }
  // A stream's row moves forward with its events but is never removed.
  await sql`
    CREATE TRIGGER streams_refuse_delete BEFORE DELETE ON streams
    FOR EACH ROW EXECUTE FUNCTION tuopin_refuse_change()
  `.execute(db);
  await sql`
    CREATE TRIGGER streams_refuse_truncate BEFORE TRUNCATE ON streams
    FOR EACH STATEMENT EXECUTE FUNCTION tuopin_refuse_change()
  `.execute(db);

  /*
   * One call, one round trip, one short transaction. The loops walk arrays, not jsonb: a loop over
   * an array costs no query per step, one over jsonb_array_elements does.
   *
   * Why the advisory locks come first: a
   * transaction's xid is assigned at its first write, and the tail orders by (xid, position). Taking
   * every stream's lock (which needs no xid) before the first write means that of two transactions
   * writing one stream, the later writer also gets the larger xid, so commit-order tailing also
   * delivers each stream in version order. Locks are taken in hash order so writers cannot deadlock.
   *
   * No NOTIFY here: a transaction that notifies holds a database-wide lock from pre-commit until
   * its commit record is flushed, which serialises every appending commit (no group commit; appends
   * ran at a fifth of plain INSERTs). The caller notifies after commit instead (see append.ts).
   *
   * Errors carry SQLSTATEs the TypeScript side maps to typed errors:
   *   TU001 expected version conflict; a stored event id fails events_event_id_key (23505).
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

  await sql`REVOKE ALL ON events, refs, streams FROM PUBLIC`.execute(db);
  await sql`GRANT SELECT, INSERT ON events, refs TO tuopin_writer`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON streams TO tuopin_writer`.execute(db);
  // Read models created by later migrations are the application's to write in full.
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tuopin_writer`.execute(db);
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO tuopin_writer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION tuopin_append(text[], text[], integer[], jsonb, bytea[], jsonb, timestamptz)`.execute(db);
  await sql`DROP TABLE refs, events, streams`.execute(db);
  await sql`DROP FUNCTION tuopin_refuse_change()`.execute(db);
}
