import { COUNTIES, type CountyId } from '../reference/counties';
import type { Name, NameTable } from './name';

/** The 13 counties by id: 嵩县 for `song` (the names themselves live in reference/counties.ts). */
export const COUNTY_NAMES: NameTable<CountyId> = Object.fromEntries(COUNTIES.map((c) => [c.id, { zh: c.zh, en: c.en } satisfies Name])) as NameTable<CountyId>;
