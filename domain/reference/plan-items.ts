import { z } from 'zod';
import type { Fen } from '../shared/money';
import type { ProjectCategory } from '../project/ids';
import { PLAN_CATEGORIES, type PlanItem } from './plan-money';

/**
 * The plan's sub-items (plan ch. 4–5) as ids a project carries: `<category>/<item>` for an item,
 * `<category>/<item>/<part>` for a part the plan splits it into (by department, road class,
 * school level), e.g. `transport/rural-roads/village-access`. Read from PLAN_CATEGORIES, so an id
 * names exactly one amount the plan prints.
 */
export interface PlanSubItem {
  readonly id: string;
  readonly category: ProjectCategory;
  readonly zh: string;
  /** The item's name when this is one of its parts. */
  readonly parentZh: string | null;
  readonly amount: Fen;
}

export const PLAN_SUB_ITEMS: readonly PlanSubItem[] = PLAN_CATEGORIES.flatMap((c) =>
  c.items.flatMap((i: PlanItem) => [
    { id: `${c.id}/${i.key}`, category: c.id, zh: i.zh, parentZh: null, amount: i.amount },
    ...(i.parts ?? []).map((p) => ({ id: `${c.id}/${i.key}/${p.key}`, category: c.id, zh: p.zh, parentZh: i.zh, amount: p.amount })),
  ]),
);

const BY_ID = new Map(PLAN_SUB_ITEMS.map((s) => [s.id, s]));

export const planSubItemOf = (id: string): PlanSubItem | undefined => BY_ID.get(id);

export const planItemIdSchema = z
  .string()
  .refine((s) => BY_ID.has(s), { error: 'must be a plan sub-item, e.g. transport/rural-roads/village-access (GET /progress/plan lists them)' });

/**
 * The plan sub-item each benefit programme's money counts under, where the programme's own
 * category (the one its funds are earmarked for) has one; the others count under their category
 * alone (中职助学金 is the plan's 教育保障 but paid from education funds, which the plan spends on schools).
 */
export const PROGRAMME_PLAN_ITEMS: Readonly<Record<string, string>> = {
  'extreme-poverty-support': 'social-security/extreme-poverty-support',
  'relocation-subsidy': 'relocation/registered-poor',
  'public-welfare-job-wage': 'transfer-employment/public-welfare-posts/posts',
  'training-subsidy': 'transfer-employment/labour-training',
};
