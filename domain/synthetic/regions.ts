import type { CountyId } from '../reference/counties';

/**
 * GB/T 2260 county-level codes of Luoyang as they stood during the plan (2016-2020; 孟津 and 偃师
 * were re-coded as districts 410308 and 410307 in 2021). The two development zones are not
 * administrative divisions: their residents' numbers carry the code of the district they were
 * registered in — 伊滨 took townships from 偃师 (410381), the high-tech zone from 涧西 (410305).
 */
export const REGION_CODES: Readonly<Record<CountyId, readonly string[]>> = {
  luanchuan: ['410324'],
  song: ['410325'],
  luoning: ['410328'],
  ruyang: ['410326'],
  yiyang: ['410327'],
  yichuan: ['410329'],
  xinan: ['410323'],
  mengjin: ['410322'],
  yanshi: ['410381'],
  luolong: ['410311'],
  yibin: ['410381'],
  xigong: ['410303'],
  gaoxin: ['410305'],
};

/**
 * Sequence-number blocks (the 3 digits after the birth date) for counties sharing a region code,
 * so numbers generated for 偃师 and 伊滨 independently can never coincide.
 */
export const SEQUENCE_BLOCKS: Readonly<Partial<Record<CountyId, { readonly from: number; readonly to: number }>>> = {
  yanshi: { from: 0, to: 499 },
  yibin: { from: 500, to: 999 },
};
