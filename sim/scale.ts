import { COUNTY_IDS, type CountyId } from '../domain/reference/counties';

import type { Fraction } from '../domain/reference/county-share';

export type { Fraction };

export interface SimScale {
  readonly counties: readonly { readonly countyId: CountyId; readonly fraction: Fraction }[];
  /** How the user wrote it, for the report. */
  readonly label: string;
}

/** What `npm run demo` runs with no flag: 嵩县 at a hundredth of its households and projects, every village. */
export const DEFAULT_SCALE = 'county:song,1/100';

/** A refused --scale: the rule in English and in Chinese, for the CLI to tell as it tells any refused flag. */
export class ScaleError extends Error {
  readonly code = 'SIM_SCALE_INVALID';
  constructor(
    readonly en: string,
    readonly zh: string,
  ) {
    super(`--scale: ${en} (${zh})`);
  }
}

const parseFraction = (s: string): Fraction => {
  const m = /^(\d+)\/(\d+)$/.exec(s) ?? /^(1)$/.exec(s);
  if (m) {
    const num = Number(m[1]);
    const den = Number(m[2] ?? 1);
    if (num >= 1 && den >= 1 && num <= den) return { num, den };
  }
  const d = /^0?\.\d+$/.test(s) ? Number(s) : NaN;
  if (d > 0 && d <= 1) {
    const den = 10 ** s.split('.')[1]!.length;
    return { num: Math.round(d * den), den };
  }
  throw new ScaleError(`fraction "${s}" must be n/m with 1 ≤ n ≤ m (e.g. 1/50) or a decimal in (0, 1]`, `比例“${s}”须为 n/m（1 ≤ n ≤ m，如 1/50）或 0 到 1 之间的小数`);
};

/**
 * `--scale county:<id>[,<fraction>]` (one county, at the plan's size or a fraction of it) or
 * `--scale city[,<fraction>]` (all 13 counties).
 */
export const parseScale = (text: string): SimScale => {
  const [what, frac] = text.split(',', 2) as [string, string | undefined];
  const fraction = frac === undefined ? { num: 1, den: 1 } : parseFraction(frac.trim());
  if (what === 'city') return { counties: COUNTY_IDS.map((countyId) => ({ countyId, fraction })), label: text };
  const m = /^county:([a-z]+)$/.exec(what);
  if (!m || !(COUNTY_IDS as readonly string[]).includes(m[1]!)) {
    throw new ScaleError(
      `"${text}" must be county:<id>[,n/m] with <id> one of ${COUNTY_IDS.join(', ')}, or city[,n/m]`,
      `“${text}”须为 county:<县代码>[,比例]（县代码为 ${COUNTY_IDS.join('、')} 之一）或 city[,比例]`,
    );
  }
  return { counties: [{ countyId: m[1] as CountyId, fraction }], label: text };
};

export const fractionLabel = (f: Fraction): string => (f.num === f.den ? '1/1' : `${f.num}/${f.den}`);
