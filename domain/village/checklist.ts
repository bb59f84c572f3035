import { z } from 'zod';

/**
 * The plan's village standard (ch. 3 §2 item 2). The bus is required only "where feasible"
 * (具备条件的村), and industry and collective income are to be "considered" (统筹考虑): recorded and
 * assessed, but not a pass/fail test — 91.8% of poor villages had no collective income at all.
 */
export const CHECKLIST_ITEMS = [
  { id: 'hardened-road', zh: '有一条通村公路实现硬化', en: 'one hardened access road', kind: 'required' },
  { id: 'passenger-bus', zh: '具备条件的村通客运班车', en: 'passenger bus where feasible', kind: 'where-feasible' },
  { id: 'safe-drinking-water', zh: '饮用水符合安全卫生评价指标', en: 'safe drinking water', kind: 'required' },
  { id: 'electricity', zh: '基本满足生产生活用电需求', en: 'electricity for living and production', kind: 'required' },
  { id: 'broadcast-tv', zh: '广播电视户户通', en: 'broadcast TV to every household', kind: 'required' },
  { id: 'cultural-centre', zh: '有综合性文化服务中心', en: 'a comprehensive cultural service centre', kind: 'required' },
  { id: 'standard-clinic', zh: '有标准化卫生室', en: 'a standard clinic', kind: 'required' },
  { id: 'qualified-doctor', zh: '有合格乡村医生或执业（助理）医师', en: 'a qualified village doctor', kind: 'required' },
  { id: 'broadband', zh: '基本实现通宽带', en: 'broadband', kind: 'required' },
  { id: 'collective-income', zh: '统筹考虑产业发展、集体经济收入', en: 'industry and collective income considered', kind: 'considered' },
] as const;

export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number]['id'];
export const CHECKLIST_ITEM_IDS = CHECKLIST_ITEMS.map((i) => i.id) as unknown as readonly [ChecklistItemId, ...ChecklistItemId[]];
export const checklistItemSchema = z.enum(CHECKLIST_ITEM_IDS);

/** met / not met; "not-feasible" only for the bus; "considered" is how collective income is closed. */
export const CHECK_RESULTS = ['met', 'not-met', 'not-feasible', 'considered'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

export interface ChecklistEntry {
  readonly result: CheckResult;
  readonly checkedBy: string;
  readonly checkedAt: string;
  readonly evidenceRef: string;
}
export type Checklist = Partial<Record<ChecklistItemId, ChecklistEntry>>;

const ACCEPTED: Readonly<Record<(typeof CHECKLIST_ITEMS)[number]['kind'], readonly CheckResult[]>> = {
  required: ['met'],
  'where-feasible': ['met', 'not-feasible'],
  considered: ['met', 'not-met', 'considered'],
};

export const resultAllowed = (item: ChecklistItemId, result: CheckResult): boolean => {
  const kind = CHECKLIST_ITEMS.find((i) => i.id === item)!.kind;
  return kind === 'where-feasible' ? result !== 'considered' : kind === 'required' ? result === 'met' || result === 'not-met' : result !== 'not-feasible';
};

/** The year of a check as a Chinese office dates it (UTC+8), whatever offset the timestamp was written in. */
export const checkYear = (checkedAt: string): number => new Date(Date.parse(checkedAt) + 8 * 3_600_000).getUTCFullYear();

/**
 * Items that keep the village from exiting in `year`: not yet checked, checked and not passing, or
 * checked before that year — a road found hardened in 2016 says nothing of 2019 (issue 14 point 13).
 * A check made after the year counts: a 2018 exit is judged in the winter, often in January 2019.
 */
export const unmetItems = (c: Checklist, year: number): (typeof CHECKLIST_ITEMS)[number][] =>
  CHECKLIST_ITEMS.filter((i) => {
    const e = c[i.id];
    return !e || checkYear(e.checkedAt) < year || !ACCEPTED[i.kind].includes(e.result);
  });
