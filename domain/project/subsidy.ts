import type { Fen } from '../shared/money';
import { CATEGORIES_WITH_STANDARDS, FULL_SUBSIDY_ITEMS, subsidyCap, SUBSIDY_STANDARDS } from '../reference/standards';
import type { DomainError } from '../shared/errors';
import { projectError as err } from './errors';
import type { ProjectCategory } from './ids';
import type { SubsidyBasis } from './events';
import type { ProjectFile } from './state';

/**
 * A project's subsidy bases and what they allow the province to pay. A standard is the province's
 * share per unit of work (plan:335-341), not a ceiling on the budget: city, county and other money
 * may add to it. Where the work is one of the four 省级全额补助 items the province pays the whole
 * cost of that part instead of the rate.
 */
export const basesOf = (d: { subsidyBases?: readonly SubsidyBasis[] | undefined; subsidyBasis?: SubsidyBasis | undefined }): readonly SubsidyBasis[] =>
  d.subsidyBases ?? (d.subsidyBasis ? [d.subsidyBasis] : []);

/** The most the province may pay for one basis, in fen. */
export const provincialCapOf = (b: SubsidyBasis): Fen => (b.fullSubsidy ? b.fullSubsidy.cost : subsidyCap(b.standard, b.quantity));

/** The most the province may pay for the project: the sum over its bases; undefined when it has none. */
export const provincialCap = (bases: readonly SubsidyBasis[]): Fen | undefined => (bases.length === 0 ? undefined : (bases.reduce((sum, b) => sum + provincialCapOf(b), 0) as Fen));

/** Provincial money already allocated to the project. */
export const provincialFunded = (s: Pick<ProjectFile, 'allocations'>): Fen =>
  Object.values(s.allocations).reduce((sum, a) => (a.source === 'provincial' ? sum + a.amount : sum), 0) as Fen;

/** The bases a proposal states, checked: required where the category has standards, each one applicable. */
export const checkBases = (category: ProjectCategory, budget: Fen, d: { subsidyBases?: SubsidyBasis[]; subsidyBasis?: SubsidyBasis }, required = true): DomainError | undefined => {
  if (d.subsidyBases !== undefined && d.subsidyBasis !== undefined) return err('PROJECT_SUBSIDY_BASIS_TWICE');
  const bases = basesOf(d);
  const hasStandards = (CATEGORIES_WITH_STANDARDS as readonly string[]).includes(category);
  if (required && hasStandards && bases.length === 0) return err('PROJECT_SUBSIDY_BASIS_REQUIRED', { category });
  const seen = new Set<string>();
  for (const b of bases) {
    if (!hasStandards) return err('PROJECT_STANDARD_NOT_APPLICABLE', { standard: b.standard, category });
    if (seen.has(b.standard)) return err('PROJECT_SUBSIDY_BASIS_DUPLICATE', { standard: b.standard });
    seen.add(b.standard);
    if (b.fullSubsidy) {
      const item = FULL_SUBSIDY_ITEMS[b.fullSubsidy.item];
      if (!(item.covers as readonly string[]).includes(b.standard))
        return err('PROJECT_FULL_SUBSIDY_NOT_COVERED', { item: b.fullSubsidy.item, itemZh: item.zh, standard: b.standard, standardZh: SUBSIDY_STANDARDS[b.standard].zh });
    }
  }
  const full = bases.reduce((sum, b) => sum + (b.fullSubsidy?.cost ?? 0), 0);
  if (full > budget) return err('PROJECT_FULL_SUBSIDY_EXCEEDS_BUDGET', { fullSubsidyCostFen: full, budgetFen: budget });
  return undefined;
};
