import { BENEFIT_PROGRAMMES } from '../benefit/programmes';
import { PLAN_CATEGORIES } from './plan-money';
import { PLAN_SUB_ITEMS, PROGRAMME_PLAN_ITEMS, planItemIdSchema, planSubItemOf } from './plan-items';

describe("the plan's sub-items", () => {
  it("are the plan's 63 items and their 33 parts, each id once", () => {
    expect(PLAN_SUB_ITEMS).toHaveLength(96);
    expect(new Set(PLAN_SUB_ITEMS.map((s) => s.id)).size).toBe(96);
    expect(PLAN_SUB_ITEMS.filter((s) => s.parentZh === null)).toHaveLength(63);
  });

  it('name their category first and carry the amount the plan prints', () => {
    expect(planSubItemOf('transport/rural-roads/village-access')).toMatchObject({ category: 'transport', zh: '通村硬化道路', parentZh: '农村公路' });
    const training = planSubItemOf('transfer-employment/labour-training')!;
    expect(training.amount).toBe(PLAN_CATEGORIES[0]!.items[0]!.amount);
    expect(planItemIdSchema.safeParse('transport/rural-roads').success).toBe(true);
    expect(planItemIdSchema.safeParse('transport/moon-roads').success).toBe(false);
  });

  it("map benefit programmes only to sub-items of the programme's own category", () => {
    for (const [programmeId, item] of Object.entries(PROGRAMME_PLAN_ITEMS))
      expect([programmeId, planSubItemOf(item)?.category]).toEqual([programmeId, BENEFIT_PROGRAMMES[programmeId as keyof typeof BENEFIT_PROGRAMMES].category]);
  });
});
