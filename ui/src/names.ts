import type { UI_NAME_TABLES } from '../names';

/**
 * The zh and en names of the ids the API sends (roles, stages, categories, events, steps, phases…),
 * from domain/names, the one source: ui/vite.config.mts writes them into the bundle at build time.
 */
export type NameGroup = keyof typeof UI_NAME_TABLES;
type Tables = Readonly<Record<NameGroup, Readonly<Record<string, { readonly zh: string; readonly en: string }>>>>;

declare const __TUOPIN_NAMES__: Tables;
export const NAMES: Tables = __TUOPIN_NAMES__;
