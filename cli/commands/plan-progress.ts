import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { countyNameSchema } from '../../domain/reference/counties';
import { projectCategorySchema } from '../../domain/project/ids';
import { formatWan } from '../../domain/shared/money';
import { planProgress, type PlanProgressRow } from '../../services/plan-progress';
import { usageRefusal, parseFlags, takeSwitch } from '../args';
import { writeRows } from '../table';

type Out = (line?: string) => void;

/** `tuopin progress plan`: the plan's money traced to households, as GET /progress/plan answers it. */
export const runProgress = async (verb: string | undefined, argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  if (verb !== 'plan') throw usageRefusal('tuopin progress');
  const { on: json, rest } = takeSwitch(argv, 'json');
  const { on: all, rest: rest2 } = takeSwitch(rest, 'all');
  const f = parseFlags(
    rest2,
    z.object({ county: countyNameSchema.optional(), year: z.coerce.number().int().min(2016).max(2030).optional(), category: projectCategorySchema.optional() }).strict(),
  );
  const p = await planProgress(db, {
    ...(f.county ? { countyId: f.county } : {}),
    ...(f.year !== undefined ? { year: f.year } : {}),
    ...(f.category ? { category: f.category } : {}),
    all,
  });
  writeRows<PlanProgressRow>(
    out,
    p.rows,
    [
      { key: 'county', header: '县', value: (r) => r.county },
      { key: 'category', header: '类别', value: (r) => r.categoryZh },
      { key: 'planItem', header: '规划子项', value: (r) => r.planItemZh ?? '（未关联子项）' },
      { key: 'planFen', header: '规划', value: (r) => r.planFen ?? 0, kind: 'money', total: true },
      { key: 'allocatedFen', header: '已安排', value: (r) => r.allocatedFen, kind: 'money', total: true },
      { key: 'paidFen', header: '已拨付', value: (r) => r.paidFen, kind: 'money', total: true },
      { key: 'households', header: '到户', value: (r) => r.households, kind: 'number' },
      { key: 'years', header: '年度（安排/拨付）', value: (r) => r.years.map((y) => `${y.year}: ${formatWan(y.allocatedFen)}/${formatWan(y.paidFen)}`).join('; ') },
    ],
    { total: '合计', json },
  );
  if (!json) out(`households reached: ${p.totals.households}`);
};
