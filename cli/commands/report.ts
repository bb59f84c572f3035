import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../infra/database';
import { countyNameSchema } from '../../domain/reference/counties';
import { daySchema } from '../../domain/shared/ids';
import { WHOLE } from '../../domain/reference/county-share';
import { positionAtEndOf } from '../../infra/projections/as-of';
import { buildReport, WHOLE_CITY, type Report, type ReportScope } from '../../services/report';
import { reportHtml } from '../../services/report-html';
import { reportXlsx } from '../../services/report-xlsx';
import { usageRefusal, parseFlags, takeSwitch } from '../args';
import { reportLines } from '../report-text';

type Out = (line?: string) => void;

export { flags as reportFlags };

const flags = z
  .object({
    'as-of': z
      .union([z.string().regex(/^\d{1,15}$/), daySchema], { error: 'must be a store position (a whole number) or a Beijing date YYYY-MM-DD that exists (截至的库位置或日期)' })
      .optional(),
    county: countyNameSchema.optional(),
    out: z.string().min(1).max(4096).optional(),
  })
  .strict();

/** The files a report writes: the HTML page with its charts and the workbook, named after the position. */
export const writeReport = async (rep: Report, dir: string, about: { readonly title: string; readonly notes?: readonly string[] }): Promise<{ html: string; xlsx: string }> => {
  mkdirSync(dir, { recursive: true });
  const opts = { ...about, generatedAt: new Date().toISOString() };
  const html = path.join(dir, `report-${rep.store.position}.html`);
  const xlsx = path.join(dir, `report-${rep.store.position}.xlsx`);
  writeFileSync(html, reportHtml(rep, opts));
  writeFileSync(xlsx, await reportXlsx(rep, opts));
  return { html, xlsx };
};

/**
 * `tuopin report`: the city's report from the store, now or at an earlier position or day, on the
 * screen (万元, Chinese), and with --out as an HTML page with charts and an .xlsx workbook.
 */
export const runReport = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  if (rest.includes('--help')) throw usageRefusal('tuopin report');
  const f = parseFlags(rest, flags);
  const scope: ReportScope = f.county ? { counties: [{ countyId: f.county, fraction: WHOLE }] } : WHOLE_CITY;
  const asOf = f['as-of'];
  const position = asOf === undefined ? undefined : /^\d+$/.test(asOf) ? Number(asOf) : await positionAtEndOf(db, asOf);
  const rep = await buildReport(db, scope, position === undefined ? undefined : { position });
  if (json) out(JSON.stringify(rep, null, 2));
  else for (const line of reportLines(rep)) out(line);
  if (f.out) {
    const files = await writeReport(rep, f.out, { title: `洛阳市脱贫攻坚进展报告${f.county ? `（${rep.exits[0]?.county ?? f.county}）` : ''}` });
    out(`written ${files.html}`);
    out(`written ${files.xlsx}`);
  }
};
