import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../infra/database';
import { type VerifyReport } from '../../infra/eventstore';
import { checkSignedDigest, generateDigestKeys, signReport, SignedDigestError, verifySnapshot } from '../../infra/eventstore/signed-digest';
import { rebuildProjection } from '../../infra/projections/rebuild';
import { PROJECTIONS } from '../../infra/projections/all';
import { CliError, usageRefusal, parseFlags, takeSwitch, valueRefusal } from '../args';
import { checkpointChains } from '../../infra/eventstore/chain-checkpoints';
import { progress, type ProgressStream } from '../progress';

type Out = (line?: string) => void;

const readText = async (file: string, flag: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw valueRefusal(flag, `cannot read ${file}: ${(e as Error).message}`, `无法读取 ${file}`);
  }
};

const asCliError = (e: unknown): unknown => (e instanceof SignedDigestError ? new CliError(e.code, e.message) : e);

const verifyFlags = z
  .object({ against: z.string().min(1).optional(), 'public-key': z.string().min(1).optional() })
  .strict()
  .refine((f) => (f.against === undefined) === (f['public-key'] === undefined), {
    message: '--against and --public-key go together (the key you trust, never one the digest carries)',
    params: { zh: '--against 与 --public-key 须一同给出（用你信任的公钥，而不是摘要自带的）' },
    path: ['public-key'],
  });

/**
 * `tuopin verify [--against <signed digest> --public-key <pem>] [--checkpoint]`: every stream's hash
 * chain recomputed on one snapshot, with streams checked shown on stderr, every chain checkpoint
 * checked against it; with a signed digest taken earlier, each stream's recomputed hash at the
 * signed version must also equal the signed head. `--checkpoint`: when every chain holds, adds
 * checkpoints for the events that have none yet (what the audit trail proves events by).
 */
export const runVerify = async (db: Kysely<Database>, out: Out, stream?: ProgressStream, args: string[] = []): Promise<VerifyReport> => {
  const { on: checkpoint, rest: argv } = takeSwitch(args, 'checkpoint');
  const f = parseFlags(argv, verifyFlags);
  let against: ReturnType<typeof checkSignedDigest> | undefined;
  if (f.against !== undefined && f['public-key'] !== undefined) {
    let document: unknown;
    try {
      document = JSON.parse(await readText(f.against, 'against'));
    } catch (e) {
      throw e instanceof CliError ? e : valueRefusal('against', `${f.against} is not JSON`, `${f.against} 不是 JSON`);
    }
    try {
      against = checkSignedDigest(document, await readText(f['public-key'], 'public-key'));
    } catch (e) {
      throw asCliError(e);
    }
  }
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM streams`.execute(db);
  const bar = progress({ label: { en: 'verify', zh: '校验' }, unit: { en: 'streams', zh: '条流' }, total: Number(rows[0]!.n), ...(stream ? { stream } : {}) });
  const report = await verifySnapshot(db, { onProgress: ({ streams }) => bar.update(streams), ...(against ? { against: against.points } : {}) });
  bar.update(report.streams);
  const signed = against ? `; ${report.signedPoints} point(s) of the digest signed ${against.body.signedAt} checked` : '';
  const events = report.events.toLocaleString('en-US');
  bar.finish(
    `${events} events, ${report.ok ? 'every chain holds' : `${report.broken} broken`}${signed}（${events} 个事件，${report.ok ? '每条哈希链均完整' : `${report.broken} 条哈希链断裂`}${against ? `，已核对签名摘要的 ${report.signedPoints} 个点` : ''}）`,
  );
  out(JSON.stringify(report, null, 2));
  if (!report.ok) process.exitCode = 3;
  else if (checkpoint) {
    const cp = await checkpointChains(db);
    process.stderr.write(
      `checkpoints: ${cp.added.toLocaleString('en-US')} added over ${cp.streams.toLocaleString('en-US')} streams 新增检查点 ${cp.added.toLocaleString('en-US')} 个，覆盖 ${cp.streams.toLocaleString('en-US')} 条流\n`,
    );
    if (cp.broken.length > 0) process.exitCode = 3;
  }
  return report;
};

/**
 * `tuopin digest keygen|sign`: an Ed25519 key pair for signing store digests (kept off the database
 * host), and a signed digest of the store as it is now (refused if the store does not verify).
 * Run `sign` on a schedule and keep its files where the database's administrators cannot write.
 */
export const runDigest = async (argv: string[], db: () => Kysely<Database>, out: Out): Promise<void> => {
  const [verb, ...rest] = argv;
  if (verb === 'keygen') {
    const f = parseFlags(rest, z.object({ out: z.string().min(1) }).strict());
    const keys = generateDigestKeys();
    const privateFile = path.join(f.out, 'tuopin-digest.key');
    const publicFile = path.join(f.out, 'tuopin-digest.pub');
    try {
      await writeFile(privateFile, keys.privatePem, { mode: 0o600, flag: 'wx' });
      await writeFile(publicFile, keys.publicPem, { mode: 0o644, flag: 'wx' });
    } catch (e) {
      throw valueRefusal('out', `${(e as Error).message} (an existing key is never overwritten)`, '无法写入（已有的密钥从不覆盖）');
    }
    out(`key ${keys.keyId}: private ${privateFile} (mode 600; keep it off the database host), public ${publicFile} (give it to whoever checks)`);
    return;
  }
  if (verb === 'sign') {
    const f = parseFlags(rest, z.object({ key: z.string().min(1), out: z.string().min(1).optional() }).strict());
    const privatePem = await readText(f.key, 'key');
    const report = await verifySnapshot(db(), { collectPoints: true });
    let signed;
    try {
      signed = signReport(report, privatePem);
    } catch (e) {
      if (e instanceof SignedDigestError && e.code === 'STORE_BROKEN') process.exitCode = 3;
      throw asCliError(e);
    }
    const text = `${JSON.stringify(signed)}\n`;
    if (f.out === undefined) out(text.trimEnd());
    else {
      await writeFile(f.out, text, { flag: 'wx' }).catch((e: unknown) => {
        throw valueRefusal('out', (e as Error).message, '无法写入（已有的文件从不覆盖）');
      });
      out(`signed ${signed.body.streams} stream(s), ${signed.body.events} event(s) at ${signed.body.signedAt} with key ${signed.body.keyId} → ${f.out}`);
    }
    return;
  }
  throw usageRefusal('tuopin digest');
};

/** The rebuild's usage: its line of the help, and the read models' names (the help does not load them). */
export const rebuildUsage = (): CliError => {
  const names = PROJECTIONS.map((p) => p.name).join('|');
  return usageRefusal('tuopin projection rebuild', { en: `<name>: ${names}`, zh: `<name>（读模型名称）：${names}` });
};

/**
 * `tuopin projection rebuild <name>`: the read model rebuilt from the store beside the live one and
 * swapped in (infra/projections/rebuild.ts); progress in events applied against the events of the
 * types it handles. Needs the owner's connection: it creates, drops and renames tables.
 */
export const runProjectionRebuild = async (argv: string[], adminDb: Kysely<Database>, out: Out, stream?: ProgressStream): Promise<void> => {
  const projection = PROJECTIONS.find((p) => p.name === argv[0]);
  if (argv.length !== 1 || !projection) throw rebuildUsage();
  // Counting takes a scan of the events table, short beside the rebuild that reads all of it.
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE type = ANY(${[...projection.canHandle]}::text[])`.execute(adminDb);
  const bar = progress({
    label: { en: `rebuild ${projection.name}`, zh: '重建读模型' },
    unit: { en: 'events', zh: '个事件' },
    total: Number(rows[0]!.n),
    ...(stream ? { stream } : {}),
  });
  const r = await rebuildProjection(adminDb, projection, { onProgress: (events) => bar.update(events) });
  bar.finish();
  out(
    `${projection.name}: rebuilt from ${r.events} event(s) and swapped in as ${r.table}; checkpoint at position ${r.cursor.position} 已从 ${r.events} 个事件重建并换入，检查点在库位置 ${r.cursor.position}`,
  );
};
