/** Causes of poverty, as shares of the 310,975 registered poor, in basis points (13.46% = 1346). */
export const POVERTY_CAUSES = [
  { id: 'illness', zh: '因病', en: 'illness', bp: 1346 },
  { id: 'disability', zh: '因残', en: 'disability', bp: 214 },
  { id: 'schooling', zh: '因学', en: 'schooling', bp: 655 },
  { id: 'disaster', zh: '因灾', en: 'disaster', bp: 82 },
  { id: 'lack-of-land', zh: '缺土地', en: 'lack of land', bp: 578 },
  { id: 'lack-of-water', zh: '缺水', en: 'lack of water', bp: 564 },
  { id: 'lack-of-skills', zh: '缺技术', en: 'lack of skills', bp: 2738 },
  { id: 'lack-of-labour', zh: '缺劳力', en: 'lack of labour', bp: 684 },
  { id: 'lack-of-funds', zh: '缺资金', en: 'lack of funds', bp: 1961 },
  { id: 'poor-transport', zh: '交通条件落后', en: 'poor transport', bp: 902 },
  { id: 'lack-of-motivation', zh: '自身发展动力不足', en: 'lack of motivation', bp: 227 },
  { id: 'other', zh: '其他', en: 'other', bp: 49 },
] as const;

export type PovertyCause = (typeof POVERTY_CAUSES)[number]['id'];
