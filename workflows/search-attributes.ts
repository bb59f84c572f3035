import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Our custom search attributes, so `temporal workflow list --query "TuopinCounty='song' AND
 * TuopinStage='overdue'"` finds work. Ids and codes only: never personal data.
 */
export const TuopinCounty = defineSearchAttributeKey('TuopinCounty', SearchAttributeType.KEYWORD);
export const TuopinCategory = defineSearchAttributeKey('TuopinCategory', SearchAttributeType.KEYWORD);
export const TuopinFiscalYear = defineSearchAttributeKey('TuopinFiscalYear', SearchAttributeType.INT);
export const TuopinStage = defineSearchAttributeKey('TuopinStage', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [TuopinCounty, TuopinCategory, TuopinFiscalYear, TuopinStage] as const;
