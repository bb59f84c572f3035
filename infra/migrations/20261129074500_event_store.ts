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
   * One call, one round trip, one short transaction. Why the advisory locks come first: a
   * transaction's xid is assigned at its first write, and the tail orders by (xid, position). Taking
   * every stream's lock (which needs no xid) before the first write means that of two transactions
   * writing one stream, the later writer also gets the larger xid, so commit-order tailing also
   * delivers each stream in version order. Locks are taken in hash order so writers cannot deadlock.
   *
   * Errors carry SQLSTATEs the TypeScript side maps to typed errors:
   *   TU001 expected version conflict, TU002 event id already stored for another event.
   */
  await sql`
    CREATE FUNCTION tuopin_append(p_streams jsonb, p_events jsonb, p_recorded_at timestamptz)
    RETURNS TABLE (event_id text, stream_id text, stream_version bigint, event_position bigint, duplicate boolean)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      k integer;
      s record;
      e record;
      d record;
      expected text;
      cur_version bigint;
      cur_hash bytea;
      v bigint;
      h bytea;
      prev_h bytea;
      pos bigint;
      n_events integer := jsonb_array_length(p_events);
      n_dup integer;
      genesis constant bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000';
    BEGIN
      FOR k IN SELECT DISTINCT hashtext(x->>'id') FROM jsonb_array_elements(p_streams) x ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(1953853296, k);
      END LOOP;

      SELECT count(*) INTO n_dup FROM events ev
       WHERE ev.event_id IN (SELECT x->>'eventId' FROM jsonb_array_elements(p_events) x);
      IF n_dup > 0 THEN
        FOR d IN
          SELECT x.j->>'eventId' AS id, ev.stream_id AS stored_stream, ev.type AS stored_type,
                 p_streams->((x.j->>'s')::int)->>'id' AS new_stream, x.j->>'type' AS new_type
            FROM jsonb_array_elements(p_events) x(j)
            LEFT JOIN events ev ON ev.event_id = x.j->>'eventId'
        LOOP
          IF d.stored_stream IS NULL OR d.stored_stream <> d.new_stream OR d.stored_type <> d.new_type THEN
            RAISE EXCEPTION 'event id % is already stored for another event, or only part of the batch is', d.id
              USING ERRCODE = 'TU002',
                    DETAIL = json_build_object('eventId', d.id, 'storedStreamId', d.stored_stream, 'storedType', d.stored_type)::text;
          END IF;
        END LOOP;
        RETURN QUERY
          SELECT ev.event_id, ev.stream_id, ev.stream_version, ev.position, true
            FROM jsonb_array_elements(p_events) WITH ORDINALITY x(j, n)
            JOIN events ev ON ev.event_id = x.j->>'eventId'
           ORDER BY x.n;
        RETURN;
      END IF;

      FOR s IN SELECT x.j AS j, (x.n - 1)::int AS idx FROM jsonb_array_elements(p_streams) WITH ORDINALITY x(j, n) LOOP
        SELECT st.version, st.head_hash INTO cur_version, cur_hash FROM streams st WHERE st.stream_id = s.j->>'id';
        IF NOT FOUND THEN
          cur_version := 0;
          cur_hash := genesis;
        END IF;
        expected := s.j->>'expected';
        IF (expected = 'no-stream' AND cur_version <> 0)
           OR (expected = 'stream-exists' AND cur_version = 0)
           OR (expected NOT IN ('any', 'no-stream', 'stream-exists') AND cur_version <> expected::bigint) THEN
          RAISE EXCEPTION 'expected version % on stream %, found %', expected, s.j->>'id', cur_version
            USING ERRCODE = 'TU001',
                  DETAIL = json_build_object('streamId', s.j->>'id', 'expected', expected, 'actual', cur_version)::text;
        END IF;

        v := cur_version;
        h := cur_hash;
        FOR e IN SELECT x.j AS j FROM jsonb_array_elements(p_events) WITH ORDINALITY x(j, n)
                  WHERE (x.j->>'s')::int = s.idx ORDER BY x.n LOOP
          v := v + 1;
          prev_h := h;
          h := sha256(prev_h || decode(e.j->>'digest', 'hex'));
          INSERT INTO events (stream_id, category, stream_version, event_id, type, schema_version, data, metadata,
                              recorded_at, prev_hash, hash)
          VALUES (s.j->>'id', split_part(s.j->>'id', '-', 1), v, e.j->>'eventId', e.j->>'type',
                  (e.j->>'schemaVersion')::int, e.j->'data', e.j->'metadata', p_recorded_at,
                  prev_h, h)
          RETURNING position INTO pos;
          INSERT INTO refs (kind, ref_id, tx_id, position)
          SELECT DISTINCT r->>0, r->>1, pg_current_xact_id(), pos FROM jsonb_array_elements(e.j->'refs') r;
          event_id := e.j->>'eventId';
          stream_id := s.j->>'id';
          stream_version := v;
          event_position := pos;
          duplicate := false;
          RETURN NEXT;
        END LOOP;

        IF v > cur_version THEN
          IF cur_version = 0 THEN
            INSERT INTO streams (stream_id, category, version, head_hash)
            VALUES (s.j->>'id', split_part(s.j->>'id', '-', 1), v, h);
          ELSE
            UPDATE streams st SET version = v, head_hash = h, updated_at = now()
             WHERE st.stream_id = s.j->>'id' AND st.version = cur_version;
            IF NOT FOUND THEN
              RAISE EXCEPTION 'stream % moved while locked', s.j->>'id' USING ERRCODE = 'TU001',
                DETAIL = json_build_object('streamId', s.j->>'id', 'expected', expected, 'actual', null)::text;
            END IF;
          END IF;
        END IF;
      END LOOP;

      PERFORM pg_notify('tuopin_events', '');
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
  await sql`DROP FUNCTION tuopin_append(jsonb, jsonb, timestamptz)`.execute(db);
  await sql`DROP TABLE refs, events, streams`.execute(db);
  await sql`DROP FUNCTION tuopin_refuse_change()`.execute(db);
}
