import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import type { Database } from '../../infra/database';
import { RegistryError } from '../../infra/registry/errors';
import { importRegistryFile, recordYearlyRecords, registerOneHousehold } from '../../services/registry';
import { parseYearlyRecords } from '../../infra/registry/yearly-records';
import { CSV_COLUMNS, toCsvLine } from '../../infra/registry/file-format';
import { generateCity, generateCounty, type SyntheticCounty } from '../../domain/synthetic';
import { countyNameSchema } from '../../domain/reference/counties';
import { CliError, parseFlags, valueRefusal } from '../args';
import { actorFlags, actorFrom, jsonArg } from './exit-actor';
import { progress } from '../progress';

type Out = (line?: string) => void;

const asCli = (e: unknown): never => {
  if (e instanceof RegistryError) throw new CliError(e.code, e.message);
  throw e;
};

// What an exit registry command did: the English scripts read first, then the Chinese.

/** One import file: "song-x.csv: 3 household(s), 9 people 3 户 9 人". */
export const importedLine = (file: string, r: { readonly households: number; readonly members: number; readonly duplicate: boolean }): string =>
  `${file}: ${r.households} household(s), ${r.members} people${r.duplicate ? ' (already imported: nothing written)' : ''} ${r.households} 户 ${r.members} 人${r.duplicate ? '（此前已导入，未写入）' : ''}`;

/** `files` counts the files taken, `already` those of them imported before (their households counted there, not here). */
export const importSummaryLine = (households: number, files: number, refused: number, already = 0): string =>
  `${households} household(s) registered from ${files} file(s)${already > 0 ? ` (${already} of them already imported: nothing written)` : ''}; ${refused} file(s) refused ` +
  `已从 ${files} 个文件登记 ${households} 户${already > 0 ? `（其中 ${already} 个文件此前已导入，未写入）` : ''}，${refused} 个文件被拒绝`;

/** One household registered, or found registered by the same request (no position then). */
export const registeredLine = (importId: string, position: number | undefined): string =>
  position === undefined
    ? `registered (import ${importId}) at store position (already registered by this same request) 此前已由同一请求登记`
    : `registered (import ${importId}) at store position ${position} 已登记`;

export const recordsLine = (recorded: number, refused: number, flagged: number): string =>
  `${recorded} household(s) recorded; ${refused} refused; ${flagged} flagged for return-to-poverty review 已记录 ${recorded} 户，拒绝 ${refused} 户，${flagged} 户转入返贫审核`;

export const generatedLine = (
  r: { readonly files: number; readonly households: number; readonly people: number },
  dir: string,
  seed: string,
  scale: { readonly num: number; readonly den: number } | undefined,
): string =>
  `${r.files} village file(s), ${r.households} households, ${r.people} people written to ${dir} (seed ${seed}${scale ? `, scale ${scale.num}/${scale.den}` : ''}) 已写出 ${r.files} 个村的文件，${r.households} 户 ${r.people} 人`;

/** `tuopin exit import --path <file|dir>`: every .csv/.json file, each all or nothing. */
export const runImport = async (argv: string[], db: Kysely<Database>, cfg: Config, out: Out): Promise<void> => {
  const f = parseFlags(argv, z.object({ ...actorFlags, path: z.string().min(1) }).strict());
  const actor = actorFrom(f);
  const st = await stat(f.path).catch(() => {
    throw valueRefusal('path', `${f.path} does not exist`, `${f.path} 不存在`);
  });
  const files = st.isDirectory()
    ? (await readdir(f.path))
        .filter((n) => /\.(csv|json)$/i.test(n) && !n.endsWith('.villages.json'))
        .sort()
        .map((n) => path.join(f.path, n))
    : [f.path];
  let households = 0;
  let failed = 0;
  let already = 0;
  const bar = progress({ label: { en: 'import', zh: '导入' }, unit: { en: 'files', zh: '个文件' }, total: files.length });
  const say: Out = (line) => {
    bar.clear();
    out(line);
  };
  for (const file of files) {
    try {
      const r = await importRegistryFile(db, { name: file, text: await readFile(file, 'utf8'), actor, salt: cfg.MEMBER_KEY_SALT, ...(f.county ? { countyId: f.county } : {}) });
      // A file imported before wrote nothing: its households were registered then.
      if (r.duplicate) already++;
      else households += r.households;
      say(importedLine(path.basename(file), r));
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e;
      failed++;
      say(`${path.basename(file)}: REFUSED [${e.code}] ${e.message}`);
    }
    bar.tick();
  }
  bar.finish();
  out(importSummaryLine(households, files.length - failed, failed, already));
  if (failed > 0) process.exitCode = 2;
};

/** `tuopin exit register --data <json|@file>`: one household through the same checks. */
export const runRegister = async (argv: string[], db: Kysely<Database>, cfg: Config, out: Out): Promise<void> => {
  const f = parseFlags(argv, z.object({ ...actorFlags, data: z.string().min(1) }).strict());
  const r = await registerOneHousehold(db, await jsonArg('data', f.data), { actor: actorFrom(f), salt: cfg.MEMBER_KEY_SALT }).catch(asCli);
  out(registeredLine(r.importId, r.positions?.first));
};

const parseYearlyRecordsForCli = (records: readonly unknown[]) => {
  try {
    return parseYearlyRecords(records);
  } catch (e) {
    throw asCli(e);
  }
};

/** `tuopin exit records --file <json>`: the year's income and guarantees; starts a return review per flagged household. */
export const runRecords = async (argv: string[], db: Kysely<Database>, client: () => Promise<Client>, cfg: Config, out: Out): Promise<void> => {
  const f = parseFlags(argv, z.object({ ...actorFlags, file: z.string().min(1), 'notice-days': z.coerce.number().int().min(5).default(5) }).strict());
  const records = await jsonArg('file', `@${f.file}`);
  if (!Array.isArray(records)) throw valueRefusal('file', 'must hold a JSON array of yearly records', '须为年度记录的 JSON 数组');
  const r = await recordYearlyRecords(db, client, {
    records: parseYearlyRecordsForCli(records),
    actor: actorFrom(f),
    exitTaskQueue: cfg.TEMPORAL_EXIT_TASK_QUEUE,
    noticeSeconds: f['notice-days'] * 86_400,
  }).catch(asCli);
  out(recordsLine(r.recorded, r.refused.length, r.flagged.length));
  for (const x of r.refused) out(`  refused ${x.householdId}: [${x.code}] ${x.message}`);
  for (const x of r.reviews) out(`  return review ${x.workflowId} 返贫审核已启动`);
};

const scaleSchema = z
  .string()
  .regex(/^\d+\/\d+$/, { error: 'must be num/den, e.g. 1/10' })
  .transform((s) => {
    const [num, den] = s.split('/').map(Number) as [number, number];
    return { num, den };
  });

/** Writes a synthetic registry as import files, one per village (CSV or JSON). */
export const writeImportFiles = async (
  counties: readonly SyntheticCounty[],
  dir: string,
  format: 'csv' | 'json',
  onFile?: () => void,
): Promise<{ files: number; households: number; people: number }> => {
  await mkdir(dir, { recursive: true });
  let files = 0;
  let households = 0;
  let people = 0;
  for (const c of counties) {
    const byVillage = new Map<string, (typeof c.households)[number][]>();
    for (const h of c.households) byVillage.set(h.villageId, [...(byVillage.get(h.villageId) ?? []), h]);
    for (const [villageId, rows] of byVillage) {
      const text = format === 'csv' ? `${[CSV_COLUMNS.join(','), ...rows.map((r) => toCsvLine(r))].join('\n')}\n` : `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
      await writeFile(path.join(dir, `${villageId}.${format}`), text);
      files++;
      onFile?.();
      households += rows.length;
      people += rows.reduce((n, r) => n + r.members.length, 0);
    }
    await writeFile(
      path.join(dir, `${c.countyId}.villages.json`),
      `${JSON.stringify({ countyId: c.countyId, seed: c.seed, ruralPopulation: c.ruralPopulation, villages: c.villages }, null, 1)}\n`,
    );
  }
  return { files, households, people };
};

/** `tuopin exit generate --county <c|city> --out <dir>`: the reproducible synthetic registry as import files. */
export const runGenerate = async (argv: string[], out: Out): Promise<void> => {
  const f = parseFlags(
    argv,
    z
      .object({
        county: z.union([z.literal('city'), countyNameSchema]),
        out: z.string().min(1),
        format: z.enum(['csv', 'json']).default('csv'),
        seed: z.string().min(1).max(100).default('tuopin'),
        scale: scaleSchema.optional(),
      })
      .strict(),
  );
  const opts = { seed: f.seed, ...(f.scale ? { scale: f.scale } : {}) };
  const counties = f.county === 'city' ? generateCity(opts) : [generateCounty(f.county, opts)];
  const bar = progress({
    label: { en: 'generate', zh: '生成' },
    unit: { en: 'files', zh: '个文件' },
    total: counties.reduce((n, c) => n + new Set(c.households.map((h) => h.villageId)).size, 0),
  });
  const r = await writeImportFiles(counties, f.out, f.format, () => bar.tick());
  bar.finish();
  out(generatedLine(r, f.out, f.seed, f.scale));
};
