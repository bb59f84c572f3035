import { z } from 'zod';

export type CountyKind = 'national-key-qinba' | 'national-key' | 'provincial-key' | 'non-poor-county' | 'non-poor-city' | 'urban-district' | 'development-zone';

export interface County {
  readonly id: CountyId;
  readonly zh: string;
  readonly en: string;
  readonly kind: CountyKind;
  readonly poorVillages: number;
  readonly poorPeople: number;
  readonly targetExitYear: number;
}

/** The 13 county-level units of the Luoyang plan (FIGURES.md), in the plan's order. */
export const COUNTY_IDS = ['luanchuan', 'song', 'luoning', 'ruyang', 'yiyang', 'yichuan', 'xinan', 'mengjin', 'yanshi', 'luolong', 'yibin', 'xigong', 'gaoxin'] as const;
export type CountyId = (typeof COUNTY_IDS)[number];

export const COUNTIES: readonly County[] = [
  { id: 'luanchuan', zh: '栾川县', en: 'Luanchuan', kind: 'national-key-qinba', poorVillages: 75, poorPeople: 27_208, targetExitYear: 2018 },
  { id: 'song', zh: '嵩县', en: 'Song', kind: 'national-key-qinba', poorVillages: 95, poorPeople: 54_144, targetExitYear: 2019 },
  { id: 'luoning', zh: '洛宁县', en: 'Luoning', kind: 'national-key-qinba', poorVillages: 98, poorPeople: 38_391, targetExitYear: 2018 },
  { id: 'ruyang', zh: '汝阳县', en: 'Ruyang', kind: 'national-key-qinba', poorVillages: 71, poorPeople: 35_944, targetExitYear: 2019 },
  { id: 'yiyang', zh: '宜阳县', en: 'Yiyang', kind: 'national-key', poorVillages: 88, poorPeople: 52_169, targetExitYear: 2018 },
  { id: 'yichuan', zh: '伊川县', en: 'Yichuan', kind: 'provincial-key', poorVillages: 56, poorPeople: 40_002, targetExitYear: 2018 },
  { id: 'xinan', zh: '新安县', en: "Xin'an", kind: 'non-poor-county', poorVillages: 83, poorPeople: 22_763, targetExitYear: 2019 },
  { id: 'mengjin', zh: '孟津县', en: 'Mengjin', kind: 'non-poor-county', poorVillages: 58, poorPeople: 17_892, targetExitYear: 2019 },
  { id: 'yanshi', zh: '偃师市', en: 'Yanshi', kind: 'non-poor-city', poorVillages: 20, poorPeople: 13_154, targetExitYear: 2017 },
  { id: 'luolong', zh: '洛龙区', en: 'Luolong', kind: 'urban-district', poorVillages: 7, poorPeople: 4_282, targetExitYear: 2017 },
  { id: 'yibin', zh: '伊滨经开区', en: 'Yibin ETDZ', kind: 'development-zone', poorVillages: 9, poorPeople: 1_259, targetExitYear: 2017 },
  { id: 'xigong', zh: '西工区', en: 'Xigong', kind: 'urban-district', poorVillages: 3, poorPeople: 253, targetExitYear: 2016 },
  { id: 'gaoxin', zh: '高新区', en: 'High-tech zone', kind: 'development-zone', poorVillages: 6, poorPeople: 3_514, targetExitYear: 2017 },
];

export const countyIdSchema = z.enum(COUNTY_IDS, { error: `must be one of the plan's 13 counties: ${COUNTY_IDS.join(', ')}` });

const byId = new Map<string, County>(COUNTIES.map((c) => [c.id, c]));
const byName = new Map<string, County>(
  COUNTIES.flatMap(
    (c) =>
      [
        [c.id, c],
        [c.zh, c],
        [c.en.toLowerCase(), c],
      ] as const,
  ),
);

export const countyById = (id: CountyId): County => byId.get(id)!;

/** Finds a county by its id, Chinese name (嵩县) or English name (Song), for people typing at a CLI. */
export const findCounty = (name: string): County | undefined => byName.get(name.trim()) ?? byName.get(name.trim().toLowerCase());

/** Accepts an id or a name and yields the county id, with an error that lists the valid names. */
export const countyNameSchema = z.string().transform((s, ctx) => {
  const c = findCounty(s);
  if (!c) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not one of the plan's 13 counties (${COUNTIES.map((x) => x.zh).join('、')})` });
    return z.NEVER;
  }
  return c.id;
});
