import { z } from 'zod';

/**
 * The plan's twelve causes of poverty with their share of the 310,975 registered people, in basis
 * points (13.46% → 1346) so shares add up exactly to 10,000.
 */
export const CAUSES = [
  { id: 'illness', zh: '因病', en: 'illness', shareBp: 1346 },
  { id: 'disability', zh: '因残', en: 'disability', shareBp: 214 },
  { id: 'schooling', zh: '因学', en: 'schooling', shareBp: 655 },
  { id: 'disaster', zh: '因灾', en: 'disaster', shareBp: 82 },
  { id: 'lack-of-land', zh: '缺土地', en: 'lack of land', shareBp: 578 },
  { id: 'lack-of-water', zh: '缺水', en: 'lack of water', shareBp: 564 },
  { id: 'lack-of-skills', zh: '缺技术', en: 'lack of skills', shareBp: 2738 },
  { id: 'lack-of-labour', zh: '缺劳动力', en: 'lack of labour', shareBp: 684 },
  { id: 'lack-of-funds', zh: '缺资金', en: 'lack of funds', shareBp: 1961 },
  { id: 'poor-transport', zh: '交通条件落后', en: 'poor transport', shareBp: 902 },
  { id: 'lack-of-motivation', zh: '自身发展动力不足', en: 'lack of motivation', shareBp: 227 },
  { id: 'other', zh: '其它', en: 'other', shareBp: 49 },
] as const;

export const CAUSE_IDS = CAUSES.map((c) => c.id) as unknown as readonly [(typeof CAUSES)[number]['id'], ...(typeof CAUSES)[number]['id'][]];
export type CauseId = (typeof CAUSES)[number]['id'];
export const causeSchema = z.enum(CAUSE_IDS, { error: `must be one of the plan's 12 causes: ${CAUSE_IDS.join(', ')}` });
