import { EDUCATION_GRANTS, FULL_SUBSIDY_ITEMS, LIVING_ALLOWANCE_MINIMUMS, STANDARD_UNITS, SUBSIDY_STANDARDS, type SubsidyStandard } from '../domain/reference/standards';

/**
 * The standards a county official checks a proposal or a payment against, one row each, with the
 * unit the rate is in, what the quantity counts, and where it comes from. `GET /standards` and
 * `tuopin standards` answer this.
 */
export interface StandardRow {
  readonly id: string;
  /** project-subsidy: the province's share per unit of a project's work; per-person: a yearly amount per person. */
  readonly kind: 'project-subsidy' | 'per-person';
  readonly category: string | null;
  readonly zh: string;
  readonly en: string;
  readonly unit: { readonly zh: string; readonly en: string };
  /** What a project's basis quantity counts (metres, m², stations, fen), for project subsidies. */
  readonly quantity: { readonly zh: string; readonly en: string } | null;
  /** fen per unit; basis points of the total for a share-of-total standard (rateBp). */
  readonly rateFen: number | null;
  readonly rateBp: number | null;
  readonly previousRateFen: number | null;
  /** Whether it is a floor (不低于) or the amount itself. */
  readonly floor: boolean;
  /** The 省级全额补助 items whose work this standard covers: for those parts the province pays the whole cost. */
  readonly fullSubsidyItems: string[];
  readonly source: string;
}

export interface FullSubsidyItemRow {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly covers: string[];
  readonly source: string;
}

const TRANSPORT_SOURCE = '洛政办〔2017〕67号 plan:337-341 (交通扶贫 补助标准)';

export const listStandards = (): { items: StandardRow[]; fullSubsidyItems: FullSubsidyItemRow[] } => {
  const items: StandardRow[] = [];
  for (const [id, s0] of Object.entries(SUBSIDY_STANDARDS)) {
    const s: SubsidyStandard = s0;
    const u = STANDARD_UNITS[s.unit];
    const share = s.unit === 'share-of-total';
    items.push({
      id,
      kind: 'project-subsidy',
      category: 'transport',
      zh: s.zh,
      en: s.en,
      unit: { zh: u.zh, en: u.en },
      quantity: u.quantity,
      rateFen: share ? null : s.rate,
      rateBp: share ? s.rate : null,
      previousRateFen: s.previousRate ?? null,
      floor: false,
      fullSubsidyItems: Object.entries(FULL_SUBSIDY_ITEMS)
        .filter(([, item]) => (item.covers as readonly string[]).includes(id))
        .map(([itemId]) => itemId),
      source: TRANSPORT_SOURCE,
    });
  }
  const perPerson = (id: string, x: { zh: string; en: string; perYear: number }, floor: boolean, source: string): StandardRow => ({
    id,
    kind: 'per-person',
    category: null,
    zh: x.zh,
    en: x.en,
    unit: { zh: '元/人·年', en: 'yuan per person a year' },
    quantity: null,
    rateFen: x.perYear,
    rateBp: null,
    previousRateFen: null,
    floor,
    fullSubsidyItems: [],
    source,
  });
  for (const [id, x] of Object.entries(LIVING_ALLOWANCE_MINIMUMS)) items.push(perPerson(id, x, true, id.startsWith('boarding') ? 'plan:244 (不低于)' : 'plan:242 (不低于)'));
  for (const [id, x] of Object.entries(EDUCATION_GRANTS)) items.push(perPerson(id, x, false, x.source));
  const fullSubsidyItems = Object.entries(FULL_SUBSIDY_ITEMS).map(([id, i]) => ({ id, zh: i.zh, en: i.en, covers: [...i.covers], source: i.source }));
  return { items, fullSubsidyItems };
};
