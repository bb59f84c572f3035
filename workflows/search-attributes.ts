import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Our custom search attributes, so `temporal workflow list --query "TuopinCounty='song' AND
 * TuopinStage='overdue'"` finds work. Ids and codes only: never personal data.
 */
export const TuopinCounty = defineSearchAttributeKey('TuopinCounty', SearchAttributeType.KEYWORD);
export const TuopinCategory = defineSearchAttributeKey('TuopinCategory', SearchAttributeType.KEYWORD);
export const TuopinFiscalYear = defineSearchAttributeKey('TuopinFiscalYear', SearchAttributeType.INT);
export const TuopinStage = defineSearchAttributeKey('TuopinStage', SearchAttributeType.KEYWORD);
/** The county's Chinese name (嵩县), as people search: `temporal workflow list --query 'TuopinCountyName="嵩县"'`. */
export const TuopinCountyName = defineSearchAttributeKey('TuopinCountyName', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [TuopinCounty, TuopinCategory, TuopinFiscalYear, TuopinStage, TuopinCountyName] as const;
