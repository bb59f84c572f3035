import { sql, type Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { verify, type VerifyReport } from '../../infra/eventstore';
import { rebuildProjection } from '../../infra/projections/rebuild';
import { PROJECTIONS } from '../../infra/projections/all';
import { CliError } from '../args';
import { progress, type ProgressStream } from '../progress';

type Out = (line?: string) => void;

/** `tuopin verify`: every stream's hash chain recomputed, with streams checked shown on stderr. */
export const runVerify = async (db: Kysely<Database>, out: Out, stream?: ProgressStream): Promise<VerifyReport> => {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM streams`.execute(db);
  const bar = progress({ label: 'verify', unit: 'streams', total: Number(rows[0]!.n), ...(stream ? { stream } : {}) });
  const report = await verify(db, { onProgress: ({ streams }) => bar.update(streams) });
  bar.update(report.streams);
  bar.finish(`${report.events.toLocaleString('en-US')} events, ${report.ok ? 'every chain holds' : `${report.broken} broken`}`);
  out(JSON.stringify(report, null, 2));
  if (!report.ok) process.exitCode = 3;
  return report;
};

export const REBUILD_USAGE = `usage: tuopin projection rebuild <${PROJECTIONS.map((p) => p.name).join('|')}>`;

/**
 * `tuopin projection rebuild <name>`: the read model rebuilt from the store beside the live one and
 * swapped in (infra/projections/rebuild.ts); progress in events applied against the events of the
 * types it handles. Needs the owner's connection: it creates, drops and renames tables.
 */
export const runProjectionRebuild = async (argv: string[], adminDb: Kysely<Database>, out: Out, stream?: ProgressStream): Promise<void> => {
  const projection = PROJECTIONS.find((p) => p.name === argv[0]);
  if (argv.length !== 1 || !projection) throw new CliError('CLI_USAGE', REBUILD_USAGE);
  // Counting takes a scan of the events table, short beside the rebuild that reads all of it.
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE type = ANY(${[...projection.canHandle]}::text[])`.execute(adminDb);
  const bar = progress({ label: `rebuild ${projection.name}`, unit: 'events', total: Number(rows[0]!.n), ...(stream ? { stream } : {}) });
  const r = await rebuildProjection(adminDb, projection, { onProgress: (events) => bar.update(events) });
  bar.finish();
  out(`${projection.name}: rebuilt from ${r.events} event(s) and swapped in as ${r.table}; checkpoint at position ${r.cursor.position}`);
};
